package io.steep.repl.cli.common;

import io.steep.repl.cli.output.Output;
import io.steep.repl.run.RunProgress;
import java.util.List;
import java.util.Map;

/**
 * Shows a followed run's progress: redrawn in place on a terminal, a line per phase change or
 * every few seconds otherwise, one JSON object per look with --json. The looks come from the
 * server directly or through a daemon's stream, alike.
 */
final class RunDisplay {
    enum Style { TERMINAL, PLAIN, JSON }

    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final Output output;
    private final Style style;
    private String lastPhase;
    private long lastPlainLine;
    private int drawnWidth;

    RunDisplay(Output output, Style style) {
        this.output = output;
        this.style = style;
    }

    void show(RunProgress progress) {
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
