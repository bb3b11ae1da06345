package io.steep.repl.worker;

import io.steep.repl.job.Job;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.JobHandlers;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The loop that serves one database (docs/worker.md): wakes on a notification, a finished job
 * or the one-second tick; records outcomes, heartbeats running jobs and relays cancel requests,
 * prunes old jobs, and claims new ones while the cluster-wide {@link JobPermits} allow. Only
 * this thread uses the control connection.
 *
 * <p>A cancel is decided by the job row's cancel_requested alone, read with the heartbeat; a
 * notification only makes that read happen now. No statement here waits on a row lock another
 * session can hold for long: the SQL skips locked rows or gives up after a moment, and an
 * outcome that could not be recorded is recorded on a later round.
 */
final class Dispatcher {
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
    /** lock_not_available: _finish_job found the row locked by another transaction. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** How a run ended. */
    enum End {
        /** SIGTERM: every job stopped or was left to the grace period. */
        SHUTDOWN,
        /** The server connection was lost: the worker exits and the supervisor starts a new one. */
        LOST,
        /** The database no longer has the extension, or no longer exists: stop serving it. */
        GONE,
        /** Asked to let go of the database (being dropped, or out of steep_repl.databases). */
        LEFT
    }

    /**
     * SQLSTATEs that say the database stopped having what the worker needs: no schema
     * steep_repl (3F000), function (42883) or table (42P01), or no database (3D000).
     */
    private static final Set<String> GONE_STATES = Set.of("3F000", "42883", "42P01", "3D000");

    private final WorkQueue queue;
    private final JobPermits permits;
    private final JobHandlers handlers;
    private final JobRunner.ConnectionOpener connections;
    private final ProgressReporter reporter;
    private final LongSupplier clock;
    private final long workerPid;
    private String orphanReason = WorkerEnvironment.DEFAULT_ORPHAN_REASON;
    private final BlockingQueue<WorkEvent> events = new LinkedBlockingQueue<>();
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    /** Ended jobs whose outcome is not recorded yet (the row was locked); still counted as running. */
    private final Map<Long, WorkEvent.JobEnded> unrecorded = new LinkedHashMap<>();
    private volatile boolean stopping;
    private volatile boolean leaving;
    private boolean heartbeatNow;
    private long lastHeartbeatNanos;
    private long lastPruneNanos;

    /** The server is gone or the database no longer has what the worker needs. */
    private static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String message, SQLException cause) {
            super(message, cause);
        }

        boolean databaseGone() {
            return GONE_STATES.contains(((SQLException) getCause()).getSQLState());
        }

        /** 57P01..57P03: the server terminated our session, normally because it is shutting down. */
        boolean serverTerminatedUs() {
            String state = ((SQLException) getCause()).getSQLState();
            return state != null && state.startsWith("57P");
        }
    }

    Dispatcher(WorkQueue queue, JobPermits permits, JobHandlers handlers, JobRunner.ConnectionOpener connections,
            ProgressReporter reporter, LongSupplier clock, long workerPid) {
        this.queue = queue;
        this.permits = permits;
        this.handlers = handlers;
        this.connections = connections;
        this.reporter = reporter;
        this.clock = clock;
        this.workerPid = workerPid;
    }

    /** What the prune round tells jobs a dead worker left running. */
    void orphanReason(String reason) {
        this.orphanReason = reason;
    }

    /** Thread-safe: the listener and the job threads post here. */
    void post(WorkEvent event) {
        events.add(event);
    }

    /**
     * SIGTERM: stop claiming and set every running job's cancel flag. Called from the shutdown
     * hook; flags directly rather than by event so it works even while this loop waits on SQL.
     */
    void requestShutdown() {
        stopping = true;
        long now = clock.getAsLong();
        running.values().forEach(job -> job.requestCancel(RunningJob.CancelReason.SHUTDOWN, now));
        post(new WorkEvent.ShutdownRequested());
    }

    /**
     * Let go of the database at once: its sessions must close (DROP DATABASE waits for them).
     * The running jobs' sessions are terminated; their rows are failed as orphans when the
     * database is served again.
     */
    void requestLeave() {
        leaving = true;
        post(new WorkEvent.ShutdownRequested());
    }

    /** Runs until shut down, the connection is lost, the database is gone or left. */
    End run() {
        try {
            lastHeartbeatNanos = clock.getAsLong();
            lastPruneNanos = lastHeartbeatNanos;
            prune();
            claim();
            while (!(stopping && running.isEmpty() && unrecorded.isEmpty())) {
                if (leaving) {
                    leave();
                    return End.LEFT;
                }
                WorkEvent first = events.poll(waitNanos(), TimeUnit.NANOSECONDS);
                List<WorkEvent> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                }
                events.drainTo(batch);
                for (WorkEvent event : batch) {
                    handle(event);
                }
                if (!leaving) {
                    round();
                }
            }
            return End.SHUTDOWN;
        } catch (Fatal e) {
            if (e.databaseGone() && !stopping) {
                WorkerLog.info(e.getMessage() + "; no longer serving the database");
                leave();
                return End.GONE;
            }
            if (stopping || e.serverTerminatedUs()) {
                // The ordinary end of a server shutdown, not a failure worth an ERROR line.
                WorkerLog.info("stopping: " + e.getMessage());
            } else {
                WorkerLog.error(e.getMessage() + "; exiting so the supervisor restarts the worker");
            }
            return End.LOST;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return End.LOST;
        } finally {
            permits.forget(this);
        }
    }

    /** Stops every running job and ends the sessions it has in this database. */
    private void leave() {
        stopping = true;
        long now = clock.getAsLong();
        for (RunningJob job : running.values()) {
            job.requestCancel(RunningJob.CancelReason.SHUTDOWN, now);
            for (int pid : job.backendPids()) {
                try {
                    queue.terminateBackend(pid);
                } catch (SQLException e) {
                    WorkerLog.warning("cannot end the session of job " + job.id() + ": " + ErrorMessages.describe(e));
                }
            }
        }
    }

    private void handle(WorkEvent event) throws Fatal {
        if (leaving) {
            return;
        }
        if (event instanceof WorkEvent.CancelRequested) {
            // Anyone can NOTIFY: the job row says whether a cancel was asked for.
            heartbeatNow = true;
        } else if (event instanceof WorkEvent.JobEnded ended) {
            unrecorded.put(ended.job().id(), ended);
            recordOutcomes();
        } else if (event instanceof WorkEvent.ListenerFailed failed) {
            throw new Fatal("the LISTEN connection failed: " + ErrorMessages.describe(failed.error()), failed.error());
        } else if (event instanceof WorkEvent.ShutdownRequested) {
            WorkerLog.info("shutting down: no new jobs; " + running.size() + " running job(s) asked to stop");
        }
        // JobSubmitted needs nothing here: every wake-up ends with a claim round.
    }

    private void round() throws Fatal {
        long now = clock.getAsLong();
        if (heartbeatNow || now - lastHeartbeatNanos >= TICK.toNanos()) {
            heartbeatNow = false;
            lastHeartbeatNanos = now;
            recordOutcomes();
            heartbeat();
        }
        cancelIgnoredStatements(now);
        if (now - lastPruneNanos >= PRUNE_INTERVAL.toNanos()) {
            lastPruneNanos = now;
            prune();
        }
        if (!stopping) {
            claim();
        }
    }

    /** Claims while the cluster-wide limit gives this database a permit and jobs wait. */
    private void claim() throws Fatal {
        try {
            int limit = queue.maxConcurrentJobs();
            while (!stopping && permits.tryAcquire(this, limit, this::wake)) {
                Optional<Job> job;
                try {
                    job = queue.claim(workerPid);
                } catch (SQLException e) {
                    permits.release(this);
                    throw e;
                }
                if (job.isEmpty()) {
                    permits.release(this);
                    permits.noDemand(this);
                    return;
                }
                start(job.get());
            }
        } catch (SQLException e) {
            onSqlError("cannot claim a job", e);
        }
    }

    /** Another database gave a permit back: try to claim now rather than at the next tick. */
    private void wake() {
        post(new WorkEvent.JobSubmitted(0));
    }

    private void start(Job job) {
        RunningJob runningJob = new RunningJob(job);
        running.put(job.id(), runningJob);
        if (stopping) {
            runningJob.requestCancel(RunningJob.CancelReason.SHUTDOWN, clock.getAsLong());
        }
        reporter.begin(job.id(), job.kind(),
                handlers.find(job.kind()).map(h -> h.starting(job)).orElseGet(JobHandler::startingPhase));
        WorkerLog.info("job " + job.id() + " (" + job.kind() + ", attempt " + job.attempts() + " of "
                + job.maxAttempts() + ", submitted by " + job.submittedBy() + ") started");
        Thread thread = new Thread(new JobRunner(runningJob, handlers, connections, reporter, this::post),
                "steep_repl-job-" + job.id());
        thread.setDaemon(true);
        thread.start();
    }

    /** Records the outcomes of ended jobs; one whose row is locked stays for a later round. */
    private void recordOutcomes() throws Fatal {
        for (WorkEvent.JobEnded ended : List.copyOf(unrecorded.values())) {
            finish(ended.job(), ended.outcome());
        }
    }

    private void finish(RunningJob job, JobOutcome outcome) throws Fatal {
        running.remove(job.id());
        boolean retrying = false;
        try {
            Job row = queue.finish(job.id(), outcome);
            retrying = "pending".equals(row.status());
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return;     // a transaction holds the row (an uncommitted cancel_job): next round
            }
            onSqlError("cannot record the outcome of job " + job.id(), e);
        }
        unrecorded.remove(job.id());
        permits.release(this);
        reporter.end(job.id(), outcome, retrying);
        String detail = outcome.error() == null ? "" : ": " + outcome.error();
        WorkerLog.info("job " + job.id() + " " + outcome.status().sqlName() + detail
                + (retrying ? " (will be retried)" : ""));
    }

    private void cancel(long jobId) {
        RunningJob job = running.get(jobId);
        if (job != null && job.requestCancel(RunningJob.CancelReason.REQUESTED, clock.getAsLong())) {
            reporter.cancelRequested(jobId);
            WorkerLog.info("job " + jobId + ": cancel requested");
        }
    }

    private void heartbeat() throws Fatal {
        if (running.isEmpty()) {
            return;
        }
        try {
            Set<Long> cancelRequested = queue.heartbeat(List.copyOf(running.keySet()));
            cancelRequested.forEach(this::cancel);
        } catch (SQLException e) {
            onSqlError("cannot heartbeat the running jobs", e);
        }
    }

    private void cancelIgnoredStatements(long now) throws Fatal {
        for (RunningJob job : running.values()) {
            List<Integer> pids = job.backendPids();
            if (job.backendCancelDue(now)) {
                WorkerLog.info("job " + job.id() + " has not stopped " + RunningJob.BACKEND_CANCEL_AFTER.toSeconds()
                        + " s after its cancel request; cancelling its statements (backends " + pids + ")");
                for (int pid : pids) {
                    try {
                        queue.cancelBackend(pid);
                    } catch (SQLException e) {
                        onSqlError("cannot cancel the statement of job " + job.id(), e);
                    }
                }
            }
        }
    }

    private void prune() throws Fatal {
        try {
            // Jobs left running by a dead worker whose row was locked when it was cleared.
            int orphans = queue.failOrphanedJobs(orphanReason, workerPid);
            if (orphans > 0) {
                WorkerLog.info(orphans + " job(s) left running by a previous worker were failed or requeued");
            }
            int pruned = queue.prune();
            if (pruned > 0) {
                WorkerLog.info("pruned " + pruned + " finished job(s) older than steep_repl.job_retention");
            }
        } catch (SQLException e) {
            onSqlError("cannot prune old jobs", e);
        }
    }

    /** Until the next tick, or sooner when a cancelled job's statement becomes due for cancelling. */
    private long waitNanos() {
        long now = clock.getAsLong();
        long wait = Math.max(0, TICK.toNanos() - (now - lastHeartbeatNanos));
        for (RunningJob job : running.values()) {
            long untilCancel = job.nanosUntilBackendCancel(now);
            if (untilCancel >= 0) {
                wait = Math.min(wait, untilCancel);
            }
        }
        return wait;
    }

    /**
     * A broken connection cannot heal inside this process: exit and let the supervisor start
     * afresh. A database that no longer has our functions (extension dropped) or no longer
     * exists ends this loop only (see {@link End#GONE}). Anything else is logged and the loop
     * goes on.
     */
    private void onSqlError(String what, SQLException e) throws Fatal {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean fatal = state.startsWith("08") || state.startsWith("57P") || state.startsWith("3F")
                || state.startsWith("42") || !queue.isConnectionValid();
        String message = what + ": " + ErrorMessages.describe(e);
        if (fatal) {
            throw new Fatal(message, e);
        }
        WorkerLog.warning(message);
    }
}
