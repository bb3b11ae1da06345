package io.steep.repl.cli.merge;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.merge.MergeDecision;
import io.steep.repl.merge.MergeOperations;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl merge conflicts}: the conflicts a merge run found, with both row images. */
@Command(name = "conflicts",
        description = "List the conflicts a merge run found (same key, different content on the two nodes): "
                + "how each was resolved, or left under the manual strategy, with both rows.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl merge conflicts merge_20261206_031100_ab12cd34 --limit 20 --json")
public final class MergeConflictsCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Merge run id.")
    String mergeId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most this many conflicts, by table and key (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected void validate() {
        requirePositive("--limit", limit);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<MergeDecision> conflicts = backend.call(MergeOperations.CONFLICTS,
                new MergeOperations.ConflictsRequest(mergeId, limit));
        output.showList("conflicts", conflicts, "no conflicts", () -> MergeText.conflicts(conflicts));
        return ErrorCode.OK.exitCode();
    }
}
