package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.common.RunViews;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotRow;
import io.steep.repl.snapshot.Snapshots;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl snapshot cancel}: stops a run; a running one stops within seconds. */
@Command(name = "cancel",
        description = "Cancel a snapshot run: a pending one at once, a running one within seconds "
                + "(it leaves no manifest; status cancelled).",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl snapshot cancel snap_20261121_013000_ab12cd34")
public final class SnapshotCancelCommand extends DirectCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Snapshot run id.")
    String snapshotId;

    @Override
    protected int run(Connection connection, Output output) throws SQLException {
        SnapshotRow run = new Snapshots(connection).cancel(snapshotId, output::notice);
        RunViews.cancelled(output, "snapshot", run);
        return ErrorCode.OK.exitCode();
    }
}
