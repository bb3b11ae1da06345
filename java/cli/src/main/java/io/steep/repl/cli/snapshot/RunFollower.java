package io.steep.repl.cli.snapshot;

import io.steep.repl.cli.output.JsonWriter;
import io.steep.repl.snapshot.SnapshotProgress;
import io.steep.repl.snapshot.SnapshotRow;
import io.steep.repl.snapshot.Snapshots;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Follows a run until it ends, showing its progress: redrawn in place on a terminal, a line
 * per phase change or every few seconds otherwise, one JSON object per look with --json.
 * Notifications wake it early; it looks at the run at least once a second because
 * notifications can be lost.
 */
final class RunFollower {
    enum Style { TERMINAL, PLAIN, JSON }

    private static final int POLL_MILLIS = 1000;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final Snapshots snapshots;
    private final PrintWriter out;
    private final Style style;
    private String lastPhase;
    private long lastPlainLine;
    private int drawnWidth;

    RunFollower(Snapshots snapshots, PrintWriter out, Style style) {
        this.snapshots = snapshots;
        this.out = out;
        this.style = style;
    }

    /** Returns the run's final row. */
    SnapshotRow follow(SnapshotRow started) throws SQLException {
        snapshots.listen();
        try {
            while (true) {
                SnapshotRow run = snapshots.get(started.snapshotId());
                if (run.isFinished()) {
                    endLine();
                    return run;
                }
                List<SnapshotProgress> progress = snapshots.progress(run.snapshotId());
                if (!progress.isEmpty()) {
                    show(progress.get(0));
                }
                snapshots.awaitNews(run, POLL_MILLIS);
            }
        } finally {
            snapshots.unlisten();
        }
    }

    private void show(SnapshotProgress progress) {
        switch (style) {
            case JSON -> JsonWriter.writeLine(out, Map.of("progress", progress));
            case TERMINAL -> {
                String line = ProgressLine.format(progress);
                out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
                out.flush();
                drawnWidth = line.length();
            }
            case PLAIN -> {
                long now = System.nanoTime();
                String phase = progress.phase() != null ? progress.phase() : progress.status();
                if (!phase.equals(lastPhase) || now - lastPlainLine >= PLAIN_EVERY_NANOS) {
                    out.println(ProgressLine.format(progress));
                    out.flush();
                    lastPhase = phase;
                    lastPlainLine = now;
                }
            }
        }
    }

    /** Leaves the redrawn line in place and moves to the next one. */
    void endLine() {
        if (style == Style.TERMINAL && drawnWidth > 0) {
            out.println();
            out.flush();
            drawnWidth = 0;
        }
    }
}
