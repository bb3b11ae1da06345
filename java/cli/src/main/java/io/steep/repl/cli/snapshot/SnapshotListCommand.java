package io.steep.repl.cli.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.Output;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.snapshot.SnapshotOperations;
import io.steep.repl.snapshot.SnapshotRow;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steep-repl snapshot list}: the history of generate and apply runs, newest first. */
@Command(name = "list",
        description = "List snapshot runs visible to the current role, newest first.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl snapshot list --limit 5 --json")
public final class SnapshotListCommand extends ServerCommand {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most this many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected void validate() {
        requirePositive("--limit", limit);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<SnapshotRow> runs = backend.call(SnapshotOperations.LIST, new SnapshotOperations.ListRequest(limit));
        output.showList("snapshots", runs, "no snapshots", () -> {
            TextTable table = new TextTable("ID", "OP", "STATUS", "PATH", "TABLES", "ROWS", "DURATION", "CREATED", "ERROR");
            runs.forEach(r -> table.row(r.snapshotId(), r.op(), r.status(), r.path(), r.tablesTotal(), r.rowsTotal(),
                    HumanFormat.duration(SnapshotText.duration(r)), HumanFormat.timestamp(r.createdAt()),
                    r.errorMessage() == null ? null : r.errorMessage().lines().findFirst().orElse("")));
            return table.lines();
        });
        return ErrorCode.OK.exitCode();
    }
}
