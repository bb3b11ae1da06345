package io.steep.repl.cli.common;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.ErrorPrinter;
import io.steep.repl.cli.output.Output;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import io.steep.repl.run.Runs;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A started run of any kind (snapshot, merge), as the command that started it shows it: its id
 * at once when not waiting, else its live progress to its end and a summary. Exit 0 when
 * complete, 1 when failed, 4 when cancelled. Interrupting the command (Ctrl-C) leaves the run
 * going on the server and says how to follow or cancel it.
 */
public final class LongRun<R extends RunRecord, P extends RunProgress> {
    private final Runs<R, P> runs;
    private final RunText<R> text;
    private final Output output;

    public LongRun(Runs<R, P> runs, RunText<R> text, Output output) {
        this.runs = runs;
        this.text = text;
        this.output = output;
    }

    /** Prints the run's id (and on stderr how to follow it) and returns; the run goes on. */
    public int detach(R started) {
        if (output.isJson()) {
            output.jsonLine(Map.of(text.jsonName(), started));
        } else {
            output.lines(List.of(started.runId()));
            text.followHints(started.runId()).forEach(output::status);
        }
        return ErrorCode.OK.exitCode();
    }

    /** Follows the run to its end; returns the exit code its outcome maps to. */
    public int follow(R started) throws SQLException {
        if (!output.isJson()) {
            output.status(text.started(started));
        }
        RunFollower.Style style = output.isJson() ? RunFollower.Style.JSON
                : System.console() != null ? RunFollower.Style.TERMINAL : RunFollower.Style.PLAIN;
        RunFollower<R, P> follower = new RunFollower<>(runs, output, style);
        Thread onInterrupt = new Thread(() -> {
            follower.endLine();
            output.status("interrupted: " + runs.kind().noun() + " " + started.runId()
                    + " goes on running on the server");
            text.followHints(started.runId()).forEach(output::status);
        }, "steep-repl " + runs.kind().noun() + " interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        R finished;
        try {
            finished = follower.follow(started);
        } finally {
            removeHook(onInterrupt);
        }
        return report(finished);
    }

    private int report(R run) {
        SteepReplException failure = failure(run);
        if (output.isJson()) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put(text.jsonName(), run);
            if (failure != null) {
                last.put("error", ErrorPrinter.json(failure));
            }
            output.jsonLine(last);
            return failure == null ? ErrorCode.OK.exitCode() : failure.code().exitCode();
        }
        if (failure != null) {
            throw failure;
        }
        output.lines(text.summary(run));
        return ErrorCode.OK.exitCode();
    }

    /** A failed or cancelled run as the error it exits with; null for a complete one. */
    SteepReplException failure(R run) {
        return switch (run.status()) {
            case "failed" -> new SteepReplException(ErrorCode.ERROR,
                    text.describe(run) + " failed: " + run.errorMessage(), text.failedHint(run));
            case "cancelled" -> new SteepReplException(ErrorCode.CANCELLED, text.describe(run) + " was cancelled", null);
            default -> null;
        };
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting (Ctrl-C): the hook runs and says how to follow the run.
        }
    }
}
