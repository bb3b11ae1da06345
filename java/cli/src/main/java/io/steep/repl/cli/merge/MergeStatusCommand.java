package io.steep.repl.cli.merge;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.common.ProgressLine;
import io.steep.repl.cli.output.Output;
import io.steep.repl.merge.MergeProgress;
import io.steep.repl.merge.MergeRecord;
import io.steep.repl.merge.Merges;
import java.sql.Connection;
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
public final class MergeStatusCommand extends DirectCommand {

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
    protected int run(Connection connection, Output output) throws SQLException {
        Merges merges = new Merges(connection);
        if (mergeId == null) {
            List<MergeRecord> runs = merges.list(limit);
            output.showList("merges", runs, "no merges", () -> MergeText.table(runs));
            return ErrorCode.OK.exitCode();
        }
        MergeRecord run = merges.runs().get(mergeId);
        MergeProgress progress = run.isFinished() ? null
                : merges.runs().progress(mergeId).stream().findFirst().orElse(null);
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("merge", run);
            document.put("progress", progress);
            output.json(document);
        } else {
            List<String> lines = new ArrayList<>();
            if (progress != null) {
                lines.add(ProgressLine.format(progress));
            }
            lines.addAll(MergeText.lines(run));
            output.lines(lines);
        }
        return ErrorCode.OK.exitCode();
    }
}
