package io.steep.repl.cli.merge;

import io.steep.repl.cli.common.RunText;
import io.steep.repl.merge.MergeRecord;
import java.util.List;

/** Merge runs as {@code steep-repl merge} reports them. */
final class MergeRunText implements RunText<MergeRecord> {
    static final MergeRunText INSTANCE = new MergeRunText();

    private MergeRunText() {
    }

    @Override
    public String jsonName() {
        return "merge";
    }

    @Override
    public String describe(MergeRecord run) {
        return "merge " + run.mergeId() + (run.dryRun() ? " (dry run)" : "");
    }

    @Override
    public String started(MergeRecord run) {
        return "started " + describe(run) + " with " + run.peer() + " (job " + run.jobId() + ")";
    }

    @Override
    public String failedHint(MergeRecord run) {
        return "Tables merged before the failure stay merged and the one being merged was rolled back; "
                + "fix the cause and run the merge again, it converges. steep-repl merge status shows the runs.";
    }

    @Override
    public List<String> summary(MergeRecord run) {
        return MergeText.lines(run);
    }

    @Override
    public List<String> followHints(String mergeId) {
        return List.of("follow it:  steep-repl merge status " + mergeId,
                "cancel it:  steep-repl merge cancel " + mergeId);
    }
}
