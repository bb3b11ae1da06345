package io.steep.repl.run;

/**
 * The history row of a long operation run as a background job (a snapshot, a merge): what the
 * machinery that follows, waits for and cancels runs needs of it.
 */
public interface RunRecord {
    /** The run's id (snapshot_id, merge_id). */
    String runId();

    /** The job that carries it; null before one is queued. */
    Long jobId();

    /** pending, running, complete, failed or cancelled. */
    String status();

    /** Why it failed, or null. */
    String errorMessage();

    /** Complete, failed or cancelled: nothing will change any more. */
    default boolean isFinished() {
        return "complete".equals(status()) || "failed".equals(status()) || "cancelled".equals(status());
    }
}
