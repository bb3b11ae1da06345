package io.steep.repl.schema;

/**
 * One thing that differs in a table, as {@code steep_repl.compare_fingerprints} reports it.
 *
 * @param component  columns, primary_key, unique, check, foreign_keys, indexes, partitioning or sequences
 * @param object     the column name, or the item (a normalised definition) of another component
 * @param difference only_local, only_remote, or for a column the property that differs (type, not_null, ...)
 * @param local      the value on the local side, or null
 * @param remote     the value on the remote side, or null
 * @param blocking   whether it breaks logical replication between the two
 */
public record Difference(String component, String object, String difference, String local, String remote,
        boolean blocking) {
}
