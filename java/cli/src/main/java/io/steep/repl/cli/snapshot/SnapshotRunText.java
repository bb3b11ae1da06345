package io.steep.repl.cli.snapshot;

import io.steep.repl.cli.common.RunText;
import io.steep.repl.snapshot.SnapshotRow;
import java.util.List;

/** Snapshot runs as {@code generate} and {@code apply} report them. */
final class SnapshotRunText implements RunText<SnapshotRow> {
    static final SnapshotRunText INSTANCE = new SnapshotRunText();

    private SnapshotRunText() {
    }

    @Override
    public String jsonName() {
        return "snapshot";
    }

    @Override
    public String describe(SnapshotRow run) {
        return "snapshot " + run.snapshotId() + " (" + run.op() + ")";
    }

    @Override
    public String started(SnapshotRow run) {
        return "started " + run.op() + " " + run.snapshotId() + " (job " + run.jobId() + ")";
    }

    @Override
    public String failedHint(SnapshotRow run) {
        return "Nothing that looks complete was left behind. Fix the cause and start it again; "
                + "steep-repl snapshot list shows the runs.";
    }

    @Override
    public List<String> summary(SnapshotRow run) {
        return SnapshotText.lines(run);
    }

    @Override
    public List<String> followHints(String snapshotId) {
        return List.of("follow it:  steep-repl snapshot progress " + snapshotId,
                "cancel it:  steep-repl snapshot cancel " + snapshotId);
    }
}
