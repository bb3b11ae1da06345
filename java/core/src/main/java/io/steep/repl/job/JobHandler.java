package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of background job. Implementations are discovered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.steep.repl.job.JobHandler}); a single instance serves every job of
 * its kind, possibly several at once, so handlers keep no per-job state in fields.
 */
public interface JobHandler {

    /** The {@code work_queue.kind} this handler runs, e.g. {@code "ping"}. */
    String kind();

    /**
     * Runs the job to its end on the calling thread.
     *
     * @return the value stored in {@code work_queue.result}, or null for none
     * @throws JobCancelledException when the job stopped because {@link JobContext#isCancelled()}
     * @throws Exception any other failure; its message becomes {@code work_queue.error_message}
     */
    JsonNode run(JobContext context) throws Exception;

    /**
     * What the job's progress shows from its claim until the handler reports: a kind whose
     * progress messages carry more (an op of its own, ids) returns that shape here too.
     */
    default ProgressUpdate starting(Job job) {
        return startingPhase();
    }

    /** The plain "starting" progress, also shown for a job whose kind has no handler. */
    static ProgressUpdate startingPhase() {
        return ProgressUpdate.phase("starting").withPercent(0);
    }
}
