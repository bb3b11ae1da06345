package io.steep.repl.daemon.config;

/** Where a listener binds: a host name or IP address and a port. */
public record ListenAddress(String host, int port) {
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
