package io.steep.repl.overlap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The options object of {@code steep_repl.analyze_overlap} (docs/overlap.md). Values go as
 * given: the SQL function checks their ranges, the one place that knows them.
 *
 * @param keyColumns    per table ("schema.table"), the columns to pair rows by instead of the primary key
 * @param rowsPerBucket null for the function's default
 */
public record OverlapOptions(Map<String, List<String>> keyColumns, Integer rowsPerBucket, boolean keep) {

    /** The options as JSON text for the function's jsonb parameter. */
    public String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode options = mapper.createObjectNode();
        if (!keyColumns.isEmpty()) {
            options.set("key_columns", mapper.valueToTree(keyColumns));
        }
        if (rowsPerBucket != null) {
            options.put("rows_per_bucket", rowsPerBucket);
        }
        if (keep) {
            options.put("keep", true);
        }
        return options.toString();
    }
}
