package io.steep.repl.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes a backend notice, within a second, that its client is gone while it runs a long
 * statement that does not talk to the client (COPY to or from a server file). Without it such a
 * backend goes on until the statement ends, holding its locks, after the worker died.
 * {@code client_connection_check_interval} exists from PostgreSQL 14; older servers keep their
 * default behaviour.
 */
public final class LostClientCheck {
    private LostClientCheck() {
    }

    /** @param local for the current transaction only ({@code SET LOCAL}), else for the session */
    public static void enable(Connection connection, boolean local) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_catalog.set_config('client_connection_check_interval', '1s', " + local + ") "
                    + "WHERE pg_catalog.current_setting('server_version_num')::integer >= 140000");
        }
    }
}
