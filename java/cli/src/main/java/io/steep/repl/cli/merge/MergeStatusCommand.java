package io.steep.repl.cli.merge;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.ProgressLine;
import io.steep.repl.cli.output.Output;
import io.steep.repl.merge.MergeOperations;
import io.steep.repl.merge.MergeRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl merge status}: one merge run (its audit row and live progress), or the newest runs. */
@Command(name = "status",
        description = "Show a merge run: its audit record and, while it runs, its progress; without ID, "
                + "the newest merge runs visible to the current role.",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl merge status", "  steep-repl merge status merge_20261206_031100_ab12cd34 --json"})
public final class MergeStatusCommand extends ServerCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Merge run id (default: the newest runs).")
    String mergeId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Without ID: at most this many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected void validate() {
        requirePositive("--limit", limit);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        MergeOperations.StatusResult status = backend.call(MergeOperations.STATUS,
                new MergeOperations.StatusRequest(mergeId, limit));
        if (mergeId == null) {
            List<MergeRecord> runs = status.merges();
            output.showList("merges", runs, "no merges", () -> MergeText.table(runs));
            return ErrorCode.OK.exitCode();
        }
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("merge", status.merge());
            document.put("progress", status.progress());
            output.json(document);
        } else {
            List<String> lines = new ArrayList<>();
            if (status.progress() != null) {
                lines.add(ProgressLine.format(status.progress()));
            }
            lines.addAll(MergeText.lines(status.merge()));
            output.lines(lines);
        }
        return ErrorCode.OK.exitCode();
    }
}
