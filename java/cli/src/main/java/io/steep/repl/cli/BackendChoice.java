package io.steep.repl.cli;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.Backend;
import io.steep.repl.api.DirectBackend;
import io.steep.repl.api.ServerSession;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.ConnectionFactory;
import io.steep.repl.jdbc.ConnectionResolver;
import io.steep.repl.jdbc.ConnectionSpec;
import io.steep.repl.remote.DaemonAddress;
import io.steep.repl.remote.RemoteBackend;
import io.steep.repl.remote.RemoteOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which way a command reaches its node (docs/cli.md, "Direct and remote mode"): --direct and
 * --remote force theirs and never fall back; with neither, direct when the -c database can run
 * the command itself, else the configured daemon, else an error that says what is missing.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    /** An open backend and what to close after the command. */
    record Opened(Backend backend, Closer resource) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            resource.close();
        }
    }

    /** A connection, or a daemon's channel. */
    interface Closer {
        void close() throws SQLException;
    }

    static Opened open(SteepRepl root, Output output, boolean needsWorker) throws SQLException {
        RemoteSettings remote = root.remoteSettings();
        if (root.remoteRequested()) {
            if (root.connection() != null) {
                output.warning("-c is not used with --remote: the command runs on the daemon's own database");
            }
            output.verbose("remote mode (--remote): daemon at " + remote.address());
            return remote(remote, output);
        }
        ConnectionSpec target;
        Connection connection;
        try {
            target = new ConnectionResolver(root.environment(), output::warning).resolve(root.connection());
            output.verbose("connecting to " + target);
            connection = ConnectionFactory.open(target);
        } catch (SteepReplException e) {
            if (root.directRequested() || e.code() != ErrorCode.CONNECTION || !remote.configured()) {
                throw e;
            }
            output.verbose("remote mode: cannot connect directly (" + e.getMessage() + "); using the daemon at "
                    + remote.address() + " ($" + RemoteSettings.DAEMON_VARIABLE + ")");
            return remote(remote, output);
        }
        if (root.directRequested()) {
            output.verbose("direct mode (--direct)");
            return direct(root, output, target, connection);
        }
        Optional<DirectProbe.Missing> missing;
        try {
            missing = DirectProbe.missing(connection, needsWorker);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        if (missing.isEmpty()) {
            output.verbose("direct mode: the database has steep_repl" + (needsWorker ? " and its worker" : ""));
            return direct(root, output, target, connection);
        }
        connection.close();
        if (remote.configured()) {
            output.verbose("remote mode: " + missing.get().problem() + "; using the daemon at " + remote.address()
                    + " ($" + RemoteSettings.DAEMON_VARIABLE + ")");
            return remote(remote, output);
        }
        throw new SteepReplException(ErrorCode.ERROR, missing.get().problem() + ", and no steep-repl daemon is configured",
                missing.get().fix() + " Or run the command through a steep-repl daemon: --remote HOST:PORT, or $"
                        + RemoteSettings.DAEMON_VARIABLE + "=HOST:PORT to fall back to one.");
    }

    private static Opened direct(SteepRepl root, Output output, ConnectionSpec target, Connection connection) {
        ServerSession session = new ServerSession(connection, target,
                new ConnectionResolver(root.environment(), output::warning), output::notice, output::warning,
                output::verbose, false);
        return new Opened(new DirectBackend(session), connection::close);
    }

    private static Opened remote(RemoteSettings settings, Output output) {
        RemoteOptions options = new RemoteOptions(DaemonAddress.parse(settings.address()), path(settings.ca()),
                path(settings.cert()), path(settings.key()), settings.token());
        RemoteBackend backend = new RemoteBackend(options, output::notice, output::warning);
        return new Opened(backend, backend::close);
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file);
    }
}
