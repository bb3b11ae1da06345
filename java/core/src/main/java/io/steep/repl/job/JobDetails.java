package io.steep.repl.job;

/**
 * A job and, while it runs under a worker, its live progress.
 *
 * @param progress null when the job has no progress slot or background workers are unavailable
 */
public record JobDetails(JobView job, JobProgress progress) {
}
