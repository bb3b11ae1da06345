package io.steep.repl.snapshot;

import io.steep.repl.job.Job;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;

/**
 * The shape of a snapshot job's progress messages (docs/snapshots.md): op "snapshot" and the
 * snapshot id of the run, from the first message to the last.
 */
public final class SnapshotProgressShape {
    private SnapshotProgressShape() {
    }

    public static ProgressUpdate of(ProgressUpdate update, String snapshotId) {
        return update.withOp("snapshot").withDetail("snapshot_id", snapshotId);
    }

    /** The starting progress of a snapshot job, named by the snapshot_id in its params. */
    public static ProgressUpdate starting(Job job) {
        return of(JobHandler.startingPhase(), job.params() == null ? null : job.params().path("snapshot_id").asText(null));
    }
}
