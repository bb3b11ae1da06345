package io.steep.repl.cli.snapshot;

import io.steep.repl.api.Backend;
import io.steep.repl.api.RunOperation;
import io.steep.repl.cli.common.LongRun;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotProgress;
import io.steep.repl.snapshot.SnapshotRow;
import java.sql.SQLException;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How a snapshot run starts and whether the command waits for it ({@code generate}, {@code apply}). */
final class StartOptions {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Connections moving data at once, 1 to 64 (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--detach", description = "Print the run's id and return at once; the run goes on.")
    boolean detach;

    void check(Function<String, ? extends RuntimeException> usage) {
        if (parallel < 1 || parallel > 64) {
            throw usage.apply("invalid value for option '--parallel': " + parallel + " (must be between 1 and 64)");
        }
    }

    /**
     * Starts a run and shows it: its id when detached, else its progress to its end.
     *
     * @return the exit code
     */
    <Q> int run(Backend backend, Output output, RunOperation<Q, SnapshotRow, SnapshotProgress> operation, Q request)
            throws SQLException {
        return new LongRun<SnapshotRow, SnapshotProgress>(SnapshotRunText.INSTANCE, output)
                .start(backend, operation, request);
    }
}
