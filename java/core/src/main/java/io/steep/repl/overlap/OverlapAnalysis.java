package io.steep.repl.overlap;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code steep_repl.analyze_overlap} on a node: the SQL function is the one
 * implementation; the peer and the options go as bind parameters, never into the statement
 * text (which the server log keeps when a statement fails).
 */
public final class OverlapAnalysis {
    private static final String ANALYZE = "SELECT " + OverlapRow.COLUMNS
            + " FROM steep_repl.analyze_overlap(?, ?::pg_catalog.text[], ?::pg_catalog.jsonb)";

    private static final String DETAILS = "SELECT key_text FROM steep_repl.overlap_details(p_run_id => ?, "
            + "p_table => ?, p_category => ?";

    private OverlapAnalysis() {
    }

    /** @param peer a connection string, registered node id or foreign server name */
    public static List<OverlapRow> analyze(Connection connection, String peer, List<String> tables,
            OverlapOptions options) throws SQLException {
        Array names = connection.createArrayOf("text", tables.toArray());
        try (PreparedStatement ps = connection.prepareStatement(ANALYZE)) {
            ps.setString(1, peer);
            ps.setArray(2, names);
            ps.setString(3, options.json());
            List<OverlapRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(OverlapRow.from(rs));
                }
            }
            return rows;
        } finally {
            names.free();
        }
    }

    /**
     * The keys of one table's rows in one category of a kept analysis, by key.
     *
     * @param limit at most this many; null for the function's default
     */
    public static List<String> details(Connection connection, long runId, String table, OverlapCategory category,
            Integer limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                DETAILS + (limit == null ? ")" : ", p_limit => ?)"))) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            ps.setString(3, category.id());
            if (limit != null) {
                ps.setInt(4, limit);
            }
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
    }
}
