package io.steep.repl.schema;

import java.util.List;

/**
 * The comparison of one table.
 *
 * @param status      match, mismatch, local_only or remote_only
 * @param components  the components whose hashes differ
 * @param differences what differs, column by column and item by item
 */
public record TableComparison(String schema, String table, String status, boolean blocking, List<String> components,
        List<Difference> differences) {

    public TableComparison {
        components = List.copyOf(components);
        differences = List.copyOf(differences);
    }

    public boolean matches(String schemaName, String tableName) {
        return schema.equals(schemaName) && table.equals(tableName);
    }
}
