package io.steep.repl.cli.common;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.Backend;
import io.steep.repl.api.RunListener;
import io.steep.repl.api.RunOperation;
import io.steep.repl.cli.ErrorPrinter;
import io.steep.repl.cli.output.Output;
import io.steep.repl.run.RunProgress;
import io.steep.repl.run.RunRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of any kind (snapshot, merge) as the command that starts it shows it: its id at once
 * when not waiting, else its live progress to its end and a summary, whether the run is followed
 * directly or through a daemon. Exit 0 when complete, 1 when failed, 4 when cancelled.
 * Interrupting the command (Ctrl-C) leaves the run going on the server and says how to follow
 * or cancel it.
 */
public final class LongRun<R extends RunRecord, P extends RunProgress> {
    private final RunText<R> text;
    private final Output output;

    public LongRun(RunText<R> text, Output output) {
        this.text = text;
        this.output = output;
    }

    /** Starts the run and shows it; returns the exit code. */
    public <Q> int start(Backend backend, RunOperation<Q, R, P> operation, Q request) throws SQLException {
        boolean detach = operation.detached(request);
        RunDisplay display = new RunDisplay(output, output.isJson() ? RunDisplay.Style.JSON
                : System.console() != null ? RunDisplay.Style.TERMINAL : RunDisplay.Style.PLAIN);
        List<Thread> hooks = new ArrayList<>();
        R last;
        try {
            last = backend.start(operation, request, new RunListener<>() {
                @Override
                public void started(R run) {
                    if (!detach) {
                        if (!output.isJson()) {
                            output.status(text.started(run));
                        }
                        hooks.add(interruptHook(operation.kind().noun(), run.runId(), display));
                    }
                }

                @Override
                public void progress(P progress) {
                    display.show(progress);
                }
            });
        } finally {
            hooks.forEach(LongRun::removeHook);
        }
        display.endLine();
        return detach ? detached(last) : report(last);
    }

    /** Prints the run's id (and on stderr how to follow it); the run goes on. */
    private int detached(R started) {
        if (output.isJson()) {
            output.jsonLine(Map.of(text.jsonName(), started));
        } else {
            output.lines(List.of(started.runId()));
            text.followHints(started.runId()).forEach(output::status);
        }
        return ErrorCode.OK.exitCode();
    }

    private Thread interruptHook(String noun, String runId, RunDisplay display) {
        Thread onInterrupt = new Thread(() -> {
            display.endLine();
            output.status("interrupted: " + noun + " " + runId + " goes on running on the server");
            text.followHints(runId).forEach(output::status);
        }, "steep-repl " + noun + " interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        return onInterrupt;
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
