package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.ErrorPrinter;
import io.steep.repl.cli.output.JsonWriter;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotRow;
import io.steep.repl.snapshot.Snapshots;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Starts a snapshot run (generate or apply) and, unless detached, follows it to its end:
 * exit 0 when complete, 1 when failed, 4 when cancelled. Interrupting the command (Ctrl-C)
 * leaves the run going on the server and says how to follow or cancel it.
 */
abstract class StartRunCommand extends DirectCommand {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Connections moving data at once, 1 to 64 (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--detach", description = "Print the run's id and return at once; the run goes on.")
    boolean detach;

    /** Calls start_snapshot or start_apply. */
    protected abstract SnapshotRow start(Snapshots snapshots) throws SQLException;

    @Override
    protected void validate() {
        if (parallel < 1 || parallel > 64) {
            throw usage("invalid value for option '--parallel': " + parallel + " (must be between 1 and 64)");
        }
    }

    @Override
    protected final int run(Connection connection, Output output) throws SQLException {
        Snapshots snapshots = new Snapshots(connection);
        SnapshotRow started = start(snapshots);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (detach) {
            if (output.isJson()) {
                JsonWriter.writeLine(out, Map.of("snapshot", started));
            } else {
                List<String> lines = new ArrayList<>();
                lines.add(started.snapshotId());
                output.lines(lines);
                SnapshotText.followHints(started.snapshotId()).forEach(err::println);
                err.flush();
            }
            return ErrorCode.OK.exitCode();
        }
        if (!output.isJson()) {
            err.println("started " + started.op() + " " + started.snapshotId() + " (job " + started.jobId() + ")");
            err.flush();
        }

        RunFollower.Style style = output.isJson() ? RunFollower.Style.JSON
                : System.console() != null ? RunFollower.Style.TERMINAL : RunFollower.Style.PLAIN;
        RunFollower follower = new RunFollower(snapshots, out, style);
        Thread onInterrupt = new Thread(() -> {
            follower.endLine();
            err.println("interrupted: snapshot " + started.snapshotId() + " goes on running on the server");
            SnapshotText.followHints(started.snapshotId()).forEach(err::println);
            err.flush();
        }, "steep-repl snapshot interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        SnapshotRow finished;
        try {
            finished = follower.follow(started);
        } finally {
            removeHook(onInterrupt);
        }
        return report(finished, output, out);
    }

    private static int report(SnapshotRow run, Output output, PrintWriter out) {
        SteepReplException failure = switch (run.status()) {
            case "failed" -> new SteepReplException(ErrorCode.ERROR,
                    "snapshot " + run.snapshotId() + " (" + run.op() + ") failed: " + run.errorMessage(),
                    "Nothing that looks complete was left behind. Fix the cause and start it again; "
                            + "steep-repl snapshot list shows the runs.");
            case "cancelled" -> new SteepReplException(ErrorCode.CANCELLED,
                    "snapshot " + run.snapshotId() + " (" + run.op() + ") was cancelled", null);
            default -> null;
        };
        if (output.isJson()) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("snapshot", run);
            if (failure != null) {
                last.put("error", ErrorPrinter.json(failure));
            }
            JsonWriter.writeLine(out, last);
            return failure == null ? ErrorCode.OK.exitCode() : failure.code().exitCode();
        }
        if (failure != null) {
            throw failure;
        }
        output.lines(SnapshotText.lines(run));
        return ErrorCode.OK.exitCode();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting (Ctrl-C): the hook runs and says how to follow the run.
        }
    }
}
