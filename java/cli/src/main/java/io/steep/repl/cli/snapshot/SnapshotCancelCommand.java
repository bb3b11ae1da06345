package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.RunViews;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotOperations;
import io.steep.repl.snapshot.SnapshotRow;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl snapshot cancel}: stops a run; a running one stops within seconds. */
@Command(name = "cancel",
        description = "Cancel a snapshot run: a pending one at once, a running one within seconds "
                + "(it leaves no manifest; status cancelled).",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl snapshot cancel snap_20261121_013000_ab12cd34")
public final class SnapshotCancelCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Snapshot run id.")
    String snapshotId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        SnapshotRow run = backend.call(SnapshotOperations.CANCEL, new SnapshotOperations.CancelRequest(snapshotId));
        RunViews.cancelled(output, "snapshot", run);
        return ErrorCode.OK.exitCode();
    }
}
