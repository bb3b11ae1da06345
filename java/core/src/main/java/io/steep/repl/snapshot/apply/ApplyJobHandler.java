package io.steep.repl.snapshot.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.SteepReplException;
import io.steep.repl.job.Job;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;
import io.steep.repl.job.RunShape;

/**
 * Kind {@code snapshot.apply}: loads a snapshot directory into the job's database as the
 * submitting role (docs/snapshots.md, "Apply").
 */
public final class ApplyJobHandler implements JobHandler {

    @Override
    public String kind() {
        return "snapshot.apply";
    }

    @Override
    public ProgressUpdate starting(Job job) {
        return RunShape.SNAPSHOT.starting(job);
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        ApplyParams params = ApplyParams.from(context.params());
        ApplyProgress progress = new ApplyProgress(
                update -> context.progress(RunShape.SNAPSHOT.of(update, params.runId())));
        SnapshotApply apply = new SnapshotApply(context.connection(), context::openConnection,
                context::serverAccess,
                params, progress, context::isCancelled, context::checkCancelled);
        try {
            return apply.run();
        } catch (SteepReplException e) {
            // The job keeps one line of error; the hint is the part that tells the user what to do.
            if (e.hint() == null) {
                throw e;
            }
            throw new SteepReplException(e.code(), e.getMessage() + ". " + e.hint(), e.hint(), e.sqlState(), e);
        }
    }
}
