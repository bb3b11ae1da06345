package io.steep.repl.job;

/**
 * Thrown by {@link JobContext#checkCancelled()} so a handler can leave its work at any depth;
 * the worker records the job as cancelled rather than failed.
 */
public class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(long jobId) {
        super("job " + jobId + " was cancelled");
    }
}
