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
}
