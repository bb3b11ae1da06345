package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Fails early, with the fix, when the connected database does not have the steep_repl extension. */
public final class ExtensionCheck {
    private static final String QUERY = "SELECT pg_catalog.current_database(), "
            + "(SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'steep_repl')";

    private ExtensionCheck() {
    }

    /** The installed extension version; throws when the extension is missing. */
    public static String require(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(QUERY); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String database = rs.getString(1);
            String version = rs.getString(2);
            if (version == null) {
                throw new SteepReplException(ErrorCode.ERROR,
                        "extension steep_repl is not installed in database \"" + database + "\"",
                        "Run CREATE EXTENSION steep_repl; in that database (as a superuser), "
                                + "or connect to the database where it is installed.");
            }
            return version;
        }
    }
}
