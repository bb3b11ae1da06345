package io.steep.repl.jdbc;

import java.nio.file.Path;

/**
 * One server to try: a host name, a numeric address, or a Unix socket directory, and a port.
 *
 * @param host     host name or socket directory (starts with '/'), or null when only hostaddr is given
 * @param hostaddr numeric address to connect to instead of resolving host, or null
 */
public record Endpoint(String host, String hostaddr, int port) {

    public boolean isUnixSocket() {
        return hostaddr == null && host != null && host.startsWith("/");
    }

    /** The socket file, {@code <dir>/.s.PGSQL.<port>}; only for a Unix socket endpoint. */
    public Path socketFile() {
        return Path.of(host).resolve(".s.PGSQL." + port);
    }

    /** Where the TCP connection goes: the address when given, else the host name. */
    public String address() {
        return hostaddr != null ? hostaddr : host;
    }

    /** How the endpoint reads in a message, e.g. {@code host "db1" (10.0.0.5), port 5432}. */
    public String describe() {
        if (isUnixSocket()) {
            return "Unix socket \"" + socketFile() + "\"";
        }
        String where = host == null ? "address \"" + hostaddr + "\""
                : hostaddr == null ? "host \"" + host + "\"" : "host \"" + host + "\" (" + hostaddr + ")";
        return where + ", port " + port;
    }
}
