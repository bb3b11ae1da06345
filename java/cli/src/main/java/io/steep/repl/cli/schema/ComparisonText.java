package io.steep.repl.cli.schema;

import io.steep.repl.schema.Compared;
import io.steep.repl.schema.Difference;
import io.steep.repl.schema.SchemaComparison;
import io.steep.repl.schema.TableComparison;
import io.steep.repl.schema.TableDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A comparison for people, and the same as data for --json. */
final class ComparisonText {

    private ComparisonText() {
    }

    /** Tables grouped by status (problems first) with what differs, then a summary line. */
    static List<String> lines(Compared compared) {
        SchemaComparison comparison = compared.comparison();
        List<String> lines = new ArrayList<>();
        lines.add("local:  " + compared.local());
        lines.add("remote: " + compared.remote());
        for (String status : SchemaComparison.STATUSES) {
            List<TableComparison> tables = comparison.withStatus(status);
            if (tables.isEmpty()) {
                continue;
            }
            lines.add("");
            lines.add(status + " (" + tables(tables.size()) + "):");
            for (TableComparison table : tables) {
                lines.add("  " + table.schema() + "." + table.table()
                        + (table.components().isEmpty() ? "" : "  [" + String.join(", ", table.components()) + "]")
                        + (table.blocking() ? "  BLOCKING" : ""));
                if (status.equals("mismatch")) {
                    table.differences().forEach(d -> lines.add("    " + difference(d)));
                }
            }
        }
        lines.add("");
        lines.add(summary(comparison));
        return lines;
    }

    /** One table's differences, for {@code schema diff}. */
    static List<String> tableLines(TableDiff diff) {
        TableComparison table = diff.table();
        List<String> lines = new ArrayList<>();
        lines.add("local:  " + diff.local());
        lines.add("remote: " + diff.remote());
        lines.add("table " + table.schema() + "." + table.table() + ": " + table.status()
                + (table.blocking() ? ", BLOCKING" : ""));
        table.differences().forEach(d -> lines.add("  " + difference(d)));
        return lines;
    }

    static String difference(Difference d) {
        String where = d.component().equals("columns") ? "column " + d.object() : d.component();
        String what = switch (d.difference()) {
            case "only_local" -> "only local" + (d.component().equals("columns") ? " (" + d.local() + ")" : ": " + d.local());
            case "only_remote" -> "only remote" + (d.component().equals("columns") ? " (" + d.remote() + ")" : ": " + d.remote());
            default -> d.difference() + " local " + shown(d.local()) + ", remote " + shown(d.remote());
        };
        return where + ": " + what + (d.blocking() ? "  BLOCKING" : "");
    }

    static String summary(SchemaComparison comparison) {
        Map<String, Long> counts = comparison.counts();
        long total = comparison.tables().size();
        long blocking = comparison.blockingTables();
        return "summary: " + tables(total) + ": " + counts.get("match") + " match, " + counts.get("mismatch")
                + " mismatch, " + counts.get("local_only") + " local only, " + counts.get("remote_only")
                + " remote only; " + (blocking == 0 ? "compatible"
                        : blocking + " with blocking differences: not compatible");
    }

    /** The --json document of a comparison. */
    static Map<String, Object> json(Compared compared) {
        SchemaComparison comparison = compared.comparison();
        Map<String, Object> summary = new LinkedHashMap<>(comparison.counts());
        summary.put("tables", comparison.tables().size());
        summary.put("blocking", comparison.blockingTables());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("local", compared.local());
        document.put("remote", compared.remote());
        document.put("compatible", comparison.compatible());
        document.put("summary", summary);
        document.put("tables", comparison.tables());
        return document;
    }

    private static String shown(String value) {
        return value == null ? "(none)" : value;
    }

    private static String tables(long n) {
        return n == 1 ? "1 table" : n + " tables";
    }
}
