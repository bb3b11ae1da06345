package io.steep.repl.cli.overlap;

import io.steep.repl.cli.output.TextTable;
import io.steep.repl.overlap.OverlapDetail;
import io.steep.repl.overlap.OverlapRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Overlap analyses for people: a table of counts, then the listed keys. */
final class OverlapText {
    private OverlapText() {
    }

    static List<String> lines(String local, String remote, List<OverlapRow> rows, List<OverlapDetail> details) {
        List<String> lines = new ArrayList<>();
        lines.add("local: " + local + "  remote: " + remote);
        if (rows.isEmpty()) {
            lines.add("no tables");
            return lines;
        }
        TextTable table = new TextTable("TABLE", "LOCAL", "REMOTE", "EQUAL", "CONFLICTS", "LOCAL ONLY", "REMOTE ONLY",
                "FETCHED", "TIME", "KEPT AS");
        rows.forEach(r -> table.row(r.tableName(), r.localRows(), r.remoteRows(), r.matches(), r.conflicts(),
                r.localOnly(), r.remoteOnly(), r.rowsFetched() + " rows, " + r.bytesFetched() + " B",
                String.format(Locale.ROOT, "%.2f s", r.seconds()), r.runId()));
        lines.addAll(table.lines());
        for (OverlapDetail d : details) {
            lines.add("");
            lines.add(d.tableName() + " " + d.category().replace('_', ' ') + " (" + d.total() + " rows"
                    + (d.keys().size() < d.total() ? ", " + d.keys().size() + " listed" : "") + "):");
            d.keys().forEach(key -> lines.add("  " + key));
        }
        return lines;
    }
}
