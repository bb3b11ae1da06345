package io.steep.repl.cli.merge;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.RunViews;
import io.steep.repl.cli.output.Output;
import io.steep.repl.merge.MergeOperations;
import io.steep.repl.merge.MergeRecord;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl merge cancel}: stops a merge run; tables already merged stay merged. */
@Command(name = "cancel",
        description = "Cancel a merge run: a pending one at once, a running one within seconds (tables already "
                + "merged stay merged; the one being merged is rolled back; status cancelled).",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl merge cancel merge_20261206_031100_ab12cd34")
public final class MergeCancelCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Merge run id.")
    String mergeId;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        MergeRecord run = backend.call(MergeOperations.CANCEL, new MergeOperations.MergeIdRequest(mergeId));
        RunViews.cancelled(output, "merge", run);
        return ErrorCode.OK.exitCode();
    }
}
