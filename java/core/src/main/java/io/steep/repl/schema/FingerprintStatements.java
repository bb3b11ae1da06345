package io.steep.repl.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two statements that fingerprint a node, taken from the steep_repl extension of one node
 * so that every node, with or without the extension, runs exactly the SQL the extension runs:
 * {@code settings} gives the session the settings a fingerprint assumes, {@code query} returns
 * the fingerprint document.
 */
public record FingerprintStatements(String settings, String query) {
    private static final String FETCH = "SELECT steep_repl.fingerprint_settings_query(), "
            + "steep_repl.fingerprint_query(?::text[], ?, ?)";

    /** The statements for this scope, from a node that has the extension. */
    public static FingerprintStatements from(Connection extensionNode, SchemaScope scope) throws SQLException {
        try (PreparedStatement ps = extensionNode.prepareStatement(FETCH)) {
            ps.setArray(1, scope.schemas().isEmpty() ? null
                    : extensionNode.createArrayOf("text", scope.schemas().toArray()));
            ps.setBoolean(2, scope.includeColumnOrder());
            ps.setBoolean(3, scope.includeNames());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new FingerprintStatements(rs.getString(1), rs.getString(2));
            }
        }
    }

    /**
     * The fingerprint document of the node behind {@code node}, as JSON text. Runs in a read-only
     * transaction: the statements came from another server and must not change this one.
     */
    public String document(Connection node) throws SQLException {
        boolean autoCommit = node.getAutoCommit();
        node.setAutoCommit(false);
        node.setReadOnly(true);
        try (Statement statement = node.createStatement()) {
            statement.execute(settings);
            try (ResultSet rs = statement.executeQuery(query)) {
                rs.next();
                return rs.getString(1);
            }
        } finally {
            node.rollback();
            node.setReadOnly(false);
            node.setAutoCommit(autoCommit);
        }
    }
}
