package io.steep.repl.merge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The options object of {@code steep_repl.start_merge} (docs/merge.md). Values go as given: the
 * SQL function checks them, the one place that knows the strategies and the ranges.
 *
 * @param strategies          per table ("schema.table"), a strategy other than the run's
 * @param lastModifiedColumns per table, the timestamp column the last-modified strategy compares
 * @param keyColumns          per table, the columns to pair rows by instead of the primary key
 * @param lockTimeout         how long to wait for each table's locks (e.g. "5s"); null for the default
 */
public record MergeOptions(
        Map<String, String> strategies,
        Map<String, String> lastModifiedColumns,
        Map<String, List<String>> keyColumns,
        String lockTimeout) {

    public MergeOptions {
        strategies = Map.copyOf(strategies);
        lastModifiedColumns = Map.copyOf(lastModifiedColumns);
        keyColumns = Map.copyOf(keyColumns);
    }

    /** The options as JSON text for the function's jsonb parameter; empty parts are left out. */
    public String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode options = mapper.createObjectNode();
        if (!strategies.isEmpty()) {
            options.set("strategies", mapper.valueToTree(new TreeMap<>(strategies)));
        }
        if (!lastModifiedColumns.isEmpty()) {
            options.set("last_modified_column", mapper.valueToTree(new TreeMap<>(lastModifiedColumns)));
        }
        if (!keyColumns.isEmpty()) {
            options.set("key_columns", mapper.valueToTree(new TreeMap<>(keyColumns)));
        }
        if (lockTimeout != null) {
            options.put("lock_timeout", lockTimeout);
        }
        return options.toString();
    }
}
