package io.steep.repl.api;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A run as started, and the session to follow it in: the operation's own, or one it opened to
 * the node that runs it (a merge's NODE-A), which {@link #close()} then closes.
 */
public record Started<R>(R run, Connection connection, boolean owned) implements AutoCloseable {

    /** Started in the operation's own session. */
    public static <R> Started<R> in(ServerSession session, R run) {
        return new Started<>(run, session.connection(), false);
    }

    @Override
    public void close() throws SQLException {
        if (owned) {
            connection.close();
        }
    }
}
