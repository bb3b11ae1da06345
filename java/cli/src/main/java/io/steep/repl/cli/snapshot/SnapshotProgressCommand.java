package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.RunViews;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotOperations;
import io.steep.repl.snapshot.SnapshotProgress;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl snapshot progress}: where one run, or every unfinished run, stands. */
@Command(name = "progress",
        description = "Show the progress of a snapshot run, or of every pending and running one.",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl snapshot progress", "  steep-repl snapshot progress snap_20261121_013000_ab12cd34 --json"})
public final class SnapshotProgressCommand extends ServerCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Snapshot run id (default: every unfinished run).")
    String snapshotId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<SnapshotProgress> runs = backend.call(SnapshotOperations.PROGRESS,
                new SnapshotOperations.ProgressRequest(snapshotId));
        RunViews.progress(output, runs, "no pending or running snapshots", SnapshotText::lines);
        return ErrorCode.OK.exitCode();
    }
}
