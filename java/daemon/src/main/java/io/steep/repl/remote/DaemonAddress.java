package io.steep.repl.remote;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.daemon.config.DaemonDefaults;

/**
 * A daemon's HOST[:PORT] as given to --remote or STEEP_REPL_DAEMON; an IPv6 address goes in
 * brackets ({@code [::1]:15460}).
 */
public record DaemonAddress(String host, int port) {
    public static DaemonAddress parse(String text) {
        String value = text == null ? "" : text.trim();
        if (!value.isEmpty() && (value.indexOf(':') < 0 || value.startsWith("[") && value.endsWith("]"))) {
            value = value + ":" + DaemonDefaults.GRPC_PORT;
        }
        int colon = value.lastIndexOf(':');
        String host = colon > 0 ? value.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || host.contains(":") && !value.startsWith("[") || port < 1 || port > 65535) {
            throw new SteepReplException(ErrorCode.USAGE, "invalid daemon address '" + value + "'",
                    "Give HOST:PORT, e.g. db1.example.com:15460 or [::1]:15460.");
        }
        return new DaemonAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
