package io.steep.repl.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.jdbc.ExtensionCheck;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema fingerprints and comparisons through the extension's functions; the comparison itself
 * is {@code steep_repl.compare_fingerprints}, whichever way the two documents were fetched.
 */
public final class SchemaCompare {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "table_schema, table_name, status, blocking, components, differences";
    private static final String COMPARE_DOCUMENTS =
            "SELECT " + COLUMNS + " FROM steep_repl.compare_fingerprints(?::jsonb, ?::jsonb)";
    private static final String COMPARE_WITH_PEER =
            "SELECT " + COLUMNS + " FROM steep_repl.compare_schema(?, ?::text[], ?, ?)";
    private static final String CAPTURE = "SELECT steep_repl.capture_fingerprints(?::text[], ?, ?), now()";

    private final Connection connection;

    /** A connection to a node with the extension; fails when it lacks it. */
    public SchemaCompare(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
    }

    /** Compares two fingerprint documents (local first). */
    public SchemaComparison compareDocuments(String local, String remote) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(COMPARE_DOCUMENTS)) {
            ps.setString(1, local);
            ps.setString(2, remote);
            return read(ps);
        }
    }

    /**
     * Compares this node with a peer that this node's server reaches through dblink: a registered
     * node id or a connection string (sent as a bind parameter, never as statement text).
     */
    public SchemaComparison compareWithPeer(String peer, SchemaScope scope) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(COMPARE_WITH_PEER)) {
            ps.setString(1, peer);
            ps.setArray(2, schemas(scope));
            ps.setBoolean(3, scope.includeColumnOrder());
            ps.setBoolean(4, scope.includeNames());
            return read(ps);
        }
    }

    /** Stores this node's fingerprints in steep_repl.schema_fingerprints. */
    public Capture capture(SchemaScope scope) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(CAPTURE)) {
            ps.setArray(1, schemas(scope));
            ps.setBoolean(2, scope.includeColumnOrder());
            ps.setBoolean(3, scope.includeNames());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Capture(rs.getInt(1), rs.getObject(2, OffsetDateTime.class));
            }
        }
    }

    /** The result of a capture. */
    public record Capture(int tables, OffsetDateTime capturedAt) {
    }

    private Array schemas(SchemaScope scope) throws SQLException {
        return scope.schemas().isEmpty() ? null : connection.createArrayOf("text", scope.schemas().toArray());
    }

    private static SchemaComparison read(PreparedStatement ps) throws SQLException {
        List<TableComparison> tables = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(new TableComparison(rs.getString("table_schema"), rs.getString("table_name"),
                        rs.getString("status"), rs.getBoolean("blocking"),
                        List.of((String[]) rs.getArray("components").getArray()),
                        differences(rs.getString("differences"))));
            }
        }
        return new SchemaComparison(tables);
    }

    static List<Difference> differences(String json) throws SQLException {
        try {
            List<Difference> differences = new ArrayList<>();
            for (JsonNode d : JSON.readTree(json)) {
                differences.add(new Difference(text(d, "component"), text(d, "object"), text(d, "difference"),
                        text(d, "local"), text(d, "remote"), d.path("blocking").asBoolean()));
            }
            return differences;
        } catch (JsonProcessingException e) {
            throw new SQLException("compare_fingerprints returned invalid differences: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON string as is, other JSON values in their JSON text, null as null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
