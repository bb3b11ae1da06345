package io.steep.repl.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The comparison of every table of two nodes, in schema and table order. */
public record SchemaComparison(List<TableComparison> tables) {
    /** The statuses in the order people read them: problems first. */
    public static final List<String> STATUSES = List.of("mismatch", "local_only", "remote_only", "match");

    public SchemaComparison {
        tables = List.copyOf(tables);
    }

    /** True when no difference blocks replication. */
    public boolean compatible() {
        return tables.stream().noneMatch(TableComparison::blocking);
    }

    public long blockingTables() {
        return tables.stream().filter(TableComparison::blocking).count();
    }

    /** How many tables have each status, every status present (zero when none). */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATUSES.forEach(status -> counts.put(status, 0L));
        tables.forEach(t -> counts.merge(t.status(), 1L, Long::sum));
        return counts;
    }

    public List<TableComparison> withStatus(String status) {
        return tables.stream().filter(t -> t.status().equals(status)).toList();
    }
}
