package io.steep.repl.health;

import io.steep.repl.jdbc.ExtensionCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The extension's own health report, the SQL replacement of the daemon's HTTP health endpoint. */
public final class Health {
    private final Connection connection;

    /** Fails when the connected database lacks the extension. */
    public Health(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
    }

    /** One row per component, in the order the extension reports them. */
    public List<HealthRow> check() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT component, status, detail FROM steep_repl.health()");
                ResultSet rs = ps.executeQuery()) {
            List<HealthRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new HealthRow(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return rows;
        }
    }
}
