package io.steep.repl.daemon.config;

import io.steep.repl.jdbc.Environment;
import java.nio.file.Path;
import java.time.Duration;

/** The daemon's defaults, each written once (docs/daemon.md quotes them). */
public final class DaemonDefaults {
    /** The gRPC port: the daemon's, and the one {@code --remote HOST} means without a port. */
    public static final int GRPC_PORT = 15460;
    public static final int HTTP_PORT = 15461;
    /** Both listeners bind to loopback unless configured otherwise. */
    public static final String ADDRESS = "127.0.0.1";
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** The status socket's directory when XDG_RUNTIME_DIR is not set (systemd: RuntimeDirectory=steep-repl). */
    public static final Path SYSTEM_SOCKET_DIR = Path.of("/run/steep-repl");
    public static final String SOCKET_NAME = "daemon.sock";

    private DaemonDefaults() {
    }

    /** {@code $XDG_RUNTIME_DIR/steep-repl/daemon.sock}, else {@code /run/steep-repl/daemon.sock}. */
    public static Path socket(Environment environment) {
        return environment.path("XDG_RUNTIME_DIR").map(dir -> dir.resolve("steep-repl"))
                .orElse(SYSTEM_SOCKET_DIR).resolve(SOCKET_NAME);
    }
}
