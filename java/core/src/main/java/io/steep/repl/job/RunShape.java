package io.steep.repl.job;

/**
 * The shape of a long operation's progress messages (docs/sql-api.md, Notifications): its op
 * ("snapshot", "merge") and the id of its run under the op's own field name, from the first
 * message to the last, so a follower tells runs apart without knowing job ids.
 */
public record RunShape(String op, String idField) {
    public static final RunShape SNAPSHOT = new RunShape("snapshot", "snapshot_id");
    public static final RunShape MERGE = new RunShape("merge", "merge_id");

    public ProgressUpdate of(ProgressUpdate update, String runId) {
        return update.withOp(op).withDetail(idField, runId);
    }

    /** The starting progress of a job of this op, named by the run id in its params. */
    public ProgressUpdate starting(Job job) {
        return of(JobHandler.startingPhase(), runId(job));
    }

    /** The run id a job's params name. */
    public String runId(Job job) {
        return job.params() == null ? null : job.params().path(idField).asText(null);
    }
}
