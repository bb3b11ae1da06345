package io.steep.repl.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a directly connected database can run a command itself: the extension is there and,
 * for commands that start background jobs, the server preloads steep_repl and its worker serves
 * this database. Reads only what any role may read; changes nothing.
 */
final class DirectProbe {
    private static final String EXTENSION = "SELECT pg_catalog.current_database(), "
            + "(SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'steep_repl')";
    private static final String WORKER = "SELECT steep_repl.bgworker_available(), "
            + "steep_repl.serves_database(pg_catalog.current_database())";

    private DirectProbe() {
    }

    /** What a database lacks to run a command directly, and how to fix it there. */
    record Missing(String problem, String fix) {
    }

    /** What is missing, or empty when the command can run directly. */
    static Optional<Missing> missing(Connection connection, boolean needsWorker) throws SQLException {
        String database;
        try (PreparedStatement ps = connection.prepareStatement(EXTENSION); ResultSet rs = ps.executeQuery()) {
            rs.next();
            database = rs.getString(1);
            if (rs.getString(2) == null) {
                return Optional.of(new Missing("extension steep_repl is not installed in database \"" + database + "\"",
                        "Run CREATE EXTENSION steep_repl; in that database (as a superuser), or connect to the "
                                + "database where it is installed."));
            }
        }
        if (!needsWorker) {
            return Optional.empty();
        }
        try (PreparedStatement ps = connection.prepareStatement(WORKER); ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.of(new Missing("the server does not preload steep_repl (shared_preload_libraries), "
                        + "so it runs no background jobs",
                        "Add steep_repl to shared_preload_libraries and restart the server (docs/operations.md)."));
            }
            if (!rs.getBoolean(2)) {
                return Optional.of(new Missing("the steep_repl worker does not serve database \"" + database
                        + "\" (steep_repl.databases)",
                        "Add the database to steep_repl.databases and reload the server (docs/operations.md)."));
            }
        }
        return Optional.empty();
    }
}
