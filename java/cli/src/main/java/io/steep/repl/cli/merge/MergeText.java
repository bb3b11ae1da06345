package io.steep.repl.cli.merge;

import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.KeyValues;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.merge.MergeDecision;
import io.steep.repl.merge.MergeRecord;
import java.time.Duration;
import java.util.List;

/** Merge runs and their conflicts for people. */
final class MergeText {
    private MergeText() {
    }

    static List<String> lines(MergeRecord run) {
        return new KeyValues()
                .add("merge", run.mergeId())
                .add("status", run.status() + (run.dryRun() ? " (dry run: no data changed)" : ""))
                .add("phase", run.isFinished() ? null : run.phase())
                .add("peer", run.peer())
                .add("tables", String.join(", ", run.tables()))
                .add("strategy", run.strategy())
                .add("progress", run.tablesTotal() == null ? null
                        : (run.tablesCompleted() == null ? 0 : run.tablesCompleted()) + " of " + run.tablesTotal()
                        + " tables")
                .add("found", run.matches() + " equal, " + run.localOnly() + " local only, " + run.remoteOnly()
                        + " remote only, " + run.conflicts() + " conflicts")
                .add(run.dryRun() ? "would copy" : "copied", run.rowsToPeer() + " rows to the peer, "
                        + run.rowsToLocal() + " rows here")
                .add("conflicts", run.conflictsResolved() + " resolved, " + run.conflictsLeft() + " left")
                .add("duration", HumanFormat.duration(duration(run)))
                .add("job", run.jobId())
                .add("submitted by", run.submittedBy())
                .add("created at", HumanFormat.timestamp(run.createdAt()))
                .add("finished at", HumanFormat.timestamp(run.finishedAt()))
                .add("error", run.errorMessage())
                .lines();
    }

    static List<String> table(List<MergeRecord> runs) {
        TextTable table = new TextTable("ID", "STATUS", "STRATEGY", "TABLES", "TO PEER", "TO LOCAL", "CONFLICTS LEFT",
                "DURATION", "CREATED", "ERROR");
        runs.forEach(r -> table.row(r.mergeId() + (r.dryRun() ? " (dry run)" : ""), r.status(), r.strategy(),
                r.tables().size(), r.rowsToPeer(), r.rowsToLocal(), r.conflictsLeft(),
                HumanFormat.duration(duration(r)), HumanFormat.timestamp(r.createdAt()),
                r.errorMessage() == null ? null : r.errorMessage().lines().findFirst().orElse("")));
        return table.lines();
    }

    static List<String> conflicts(List<MergeDecision> decisions) {
        TextTable table = new TextTable("TABLE", "KEY", "RESOLUTION", "STRATEGY", "LOCAL ROW", "REMOTE ROW");
        decisions.forEach(d -> table.row(d.tableName(), d.keyText(), d.resolution(), d.strategy(),
                d.localRow(), d.remoteRow()));
        return table.lines();
    }

    static Duration duration(MergeRecord run) {
        return run.startedAt() == null || run.finishedAt() == null ? null
                : Duration.between(run.startedAt(), run.finishedAt());
    }
}
