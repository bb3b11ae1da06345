package io.steep.repl.daemon.config;

import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.jdbc.Redaction;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The daemon's settings, checked and complete (ConfigLoader builds it). {@link #toString()}
 * masks the token and the PostgreSQL password.
 *
 * @param tls      null for plaintext gRPC
 * @param insecure plaintext gRPC on an address other than loopback was allowed explicitly
 * @param token    the bearer token clients must send, or null for none
 * @param http     where /health, /livez and /readyz answer, or null when disabled
 * @param socket   the local status socket
 * @param postgres the database every operation runs against
 */
public record DaemonConfig(
        ListenAddress listen,
        TlsFiles tls,
        boolean insecure,
        String token,
        ListenAddress http,
        Path socket,
        ConnectionSpec postgres,
        Duration shutdownGrace) {

    @Override
    public String toString() {
        return "DaemonConfig[listen=" + listen + ", tls=" + tls + ", insecure=" + insecure
                + ", token=" + (token == null ? "none" : Redaction.MASK) + ", http=" + (http == null ? "disabled" : http)
                + ", socket=" + socket + ", postgres=" + postgres + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
