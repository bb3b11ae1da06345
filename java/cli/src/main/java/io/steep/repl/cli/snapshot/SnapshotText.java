package io.steep.repl.cli.snapshot;

import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.KeyValues;
import io.steep.repl.snapshot.SnapshotProgress;
import io.steep.repl.snapshot.SnapshotRow;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Snapshot runs for people. */
final class SnapshotText {

    private SnapshotText() {
    }

    static List<String> lines(SnapshotRow run) {
        return new KeyValues()
                .add("snapshot", run.snapshotId())
                .add("op", run.op())
                .add("status", run.status())
                .add("path", run.path())
                .add("compression", run.compression())
                .add("parallel", run.parallel())
                .add("tables", run.tablesTotal())
                .add("rows", run.rowsTotal())
                .add("bytes", bytes(run.bytesTotal()))
                .add("lsn", run.lsn())
                .add("slot", run.slotName())
                .add("duration", HumanFormat.duration(duration(run)))
                .add("job", run.jobId())
                .add("submitted by", run.submittedBy())
                .add("created at", HumanFormat.timestamp(run.createdAt()))
                .add("finished at", HumanFormat.timestamp(run.finishedAt()))
                .add("error", run.errorMessage())
                .lines();
    }

    static List<String> lines(SnapshotProgress p) {
        return new KeyValues()
                .add("snapshot", p.snapshotId())
                .add("op", p.op())
                .add("status", p.status())
                .add("phase", p.phase())
                .add("percent", p.percent() == null ? null : String.format(Locale.ROOT, "%.1f%%", p.percent()))
                .add("tables", p.tablesTotal() == null ? null
                        : (p.tablesCompleted() == null ? 0 : p.tablesCompleted()) + " of " + p.tablesTotal())
                .add("current table", p.currentTable())
                .add("rows", p.rowsDone())
                .add("bytes", bytes(p.bytesDone()))
                .add("rate", p.bytesPerSec() == null ? null : String.format(Locale.ROOT, "%.1f MB/s", p.bytesPerSec() / 1e6))
                .add("eta", HumanFormat.duration(p.eta()))
                .add("started at", HumanFormat.timestamp(p.startedAt()))
                .add("error", p.errorMessage())
                .lines();
    }

    static Duration duration(SnapshotRow run) {
        return run.startedAt() == null || run.finishedAt() == null ? null
                : Duration.between(run.startedAt(), run.finishedAt());
    }

    static String bytes(Long value) {
        if (value == null) {
            return null;
        }
        if (value < 1_000_000) {
            return value + " B";
        }
        return value >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f GB (%d bytes)", value / 1e9, value)
                : String.format(Locale.ROOT, "%.1f MB (%d bytes)", value / 1e6, value);
    }
}
