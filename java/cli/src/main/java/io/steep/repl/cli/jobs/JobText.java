package io.steep.repl.cli.jobs;

import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.KeyValues;
import io.steep.repl.job.JobProgress;
import io.steep.repl.job.JobView;
import java.util.List;

/** Jobs and their progress for people. */
final class JobText {

    private JobText() {
    }

    static List<String> lines(JobView job) {
        return new KeyValues()
                .add("job", job.id())
                .add("kind", job.kind())
                .add("status", job.status() + (job.cancelRequested() && !job.isFinished() ? " (cancel requested)" : ""))
                .add("submitted by", job.submittedBy())
                .add("attempts", job.attempts() + " of " + job.maxAttempts())
                .add("params", job.params())
                .add("created at", HumanFormat.timestamp(job.createdAt()))
                .add("started at", HumanFormat.timestamp(job.startedAt()))
                .add("finished at", HumanFormat.timestamp(job.finishedAt()))
                .add("last heartbeat", HumanFormat.timestamp(job.heartbeatAt()))
                .add("duration", HumanFormat.duration(job.duration()))
                .add("error", job.errorMessage())
                .add("result", job.result())
                .lines();
    }

    static List<String> lines(JobProgress progress) {
        return new KeyValues()
                .add("phase", progress.phase())
                .add("percent", progress.percent() == null ? null : String.format("%.1f%%", progress.percent()))
                .add("current item", progress.currentItem())
                .add("items", progress.itemsDone() == null ? null
                        : progress.itemsDone() + (progress.itemsTotal() == null ? "" : " of " + progress.itemsTotal()))
                .add("rows", progress.rowsDone())
                .add("bytes", progress.bytesDone())
                .add("rows/s", progress.rowsPerSec() == null ? null : String.format("%.0f", progress.rowsPerSec()))
                .add("updated at", HumanFormat.timestamp(progress.updatedAt()))
                .lines();
    }
}
