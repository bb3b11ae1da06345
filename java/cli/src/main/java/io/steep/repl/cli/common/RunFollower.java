package io.steep.repl.cli.common;

import io.steep.repl.cli.output.Output;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import io.steep.repl.run.Runs;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Follows a run until it ends, showing its progress: redrawn in place on a terminal, a line
 * per phase change or every few seconds otherwise, one JSON object per look with --json.
 * Notifications wake it early; it looks at the run at least once a second because
 * notifications can be lost.
 */
final class RunFollower<R extends RunRecord, P extends RunProgress> {
    enum Style { TERMINAL, PLAIN, JSON }

    private static final int POLL_MILLIS = 1000;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final Runs<R, P> runs;
    private final Output output;
    private final Style style;
    private String lastPhase;
    private long lastPlainLine;
    private int drawnWidth;

    RunFollower(Runs<R, P> runs, Output output, Style style) {
        this.runs = runs;
        this.output = output;
        this.style = style;
    }

    /** Returns the run's final row. */
    R follow(R started) throws SQLException {
        runs.listen();
        try {
            while (true) {
                R run = runs.get(started.runId());
                if (run.isFinished()) {
                    endLine();
                    return run;
                }
                List<P> progress = runs.progress(run.runId());
                if (!progress.isEmpty()) {
                    show(progress.get(0));
                }
                runs.awaitNews(run, POLL_MILLIS);
            }
        } finally {
            runs.unlisten();
        }
    }

    private void show(P progress) {
        switch (style) {
            case JSON -> output.jsonLine(Map.of("progress", progress));
            case TERMINAL -> {
                String line = ProgressLine.format(progress);
                output.overwrite("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
                drawnWidth = line.length();
            }
            case PLAIN -> {
                long now = System.nanoTime();
                String phase = progress.phase() != null ? progress.phase() : progress.status();
                if (!phase.equals(lastPhase) || now - lastPlainLine >= PLAIN_EVERY_NANOS) {
                    output.lines(List.of(ProgressLine.format(progress)));
                    lastPhase = phase;
                    lastPlainLine = now;
                }
            }
        }
    }

    /** Leaves the redrawn line in place and moves to the next one. */
    void endLine() {
        if (style == Style.TERMINAL && drawnWidth > 0) {
            output.lines(List.of(""));
            drawnWidth = 0;
        }
    }
}
