package io.steep.repl.cli.common;

import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.run.RunProgress;
import java.util.Locale;

/** One line of live progress: phase, bar and percent, tables, current table, throughput, ETA. */
public final class ProgressLine {
    static final int BAR_WIDTH = 24;
    private static final int MAX_TABLE_CHARS = 40;

    private ProgressLine() {
    }

    public static String format(RunProgress p) {
        StringBuilder line = new StringBuilder();
        line.append(p.op()).append(' ').append(p.phase() != null ? p.phase() : p.status());
        if (p.percent() != null) {
            line.append(' ').append(bar(p.percent())).append(String.format(Locale.ROOT, " %5.1f%%", p.percent()));
        }
        if (p.tablesTotal() != null) {
            line.append("  ").append(p.tablesCompleted() == null ? 0 : p.tablesCompleted())
                    .append('/').append(p.tablesTotal()).append(" tables");
        }
        if (p.currentTable() != null) {
            line.append("  ").append(shorten(p.currentTable()));
        }
        if (p.bytesPerSec() != null && p.bytesPerSec() > 0) {
            line.append(String.format(Locale.ROOT, "  %.1f MB/s", p.bytesPerSec() / 1e6));
        }
        if (p.eta() != null && "running".equals(p.status())) {
            line.append("  ETA ").append(HumanFormat.duration(p.eta()));
        }
        return line.toString();
    }

    static String bar(double percent) {
        int filled = (int) Math.round(Math.max(0, Math.min(100, percent)) / 100 * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private static String shorten(String table) {
        return table.length() <= MAX_TABLE_CHARS ? table : table.substring(0, MAX_TABLE_CHARS - 3) + "...";
    }
}
