package io.steep.repl.worker;

import io.steep.repl.job.ProgressUpdate;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Publishes the progress of every running job: shared memory for {@code job_progress()} and
 * NOTIFY for listeners, throttled per job by a {@link ProgressThrottle}. Job threads only record
 * state and never wait for the database; one scheduler thread does all writes, in order, which
 * also serialises use of the store's single connection.
 */
final class ProgressReporter implements AutoCloseable {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ProgressStore store;
    private final LongSupplier clock;
    private final ScheduledExecutorService publisher;
    private final Map<Long, JobState> jobs = new HashMap<>();
    private boolean closed;

    /** Per-job state; fields guarded by the reporter's monitor. */
    private static final class JobState {
        final long jobId;
        final String kind;
        final long startedNanos;
        final ProgressThrottle throttle = new ProgressThrottle();
        boolean cancelRequested;
        boolean flushPending;
        long flushDueNanos;
        long flushToken;
        boolean failureLogged;

        JobState(long jobId, String kind, long startedNanos) {
            this.jobId = jobId;
            this.kind = kind;
            this.startedNanos = startedNanos;
        }
    }

    ProgressReporter(ProgressStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        this.publisher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "steep_repl-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A job started: its slot shows it at once, with the handler's starting progress. */
    synchronized void begin(long jobId, String kind, ProgressUpdate starting) {
        JobState state = new JobState(jobId, kind, clock.getAsLong());
        jobs.put(jobId, state);
        state.throttle.offer(starting);
        scheduleFlush(state);
    }

    synchronized void report(long jobId, ProgressUpdate update) {
        JobState state = jobs.get(jobId);
        if (state != null) {
            state.throttle.offer(update);
            scheduleFlush(state);
        }
    }

    /** Shows the cancel request in the job's slot; the handler sees it through its context. */
    synchronized void cancelRequested(long jobId) {
        JobState state = jobs.get(jobId);
        if (state != null && !state.cancelRequested) {
            state.cancelRequested = true;
            state.throttle.touchSharedMemory();
            scheduleFlush(state);
        }
    }

    /** The job's outcome is recorded: free its slot and send the last message. */
    synchronized void end(long jobId, JobOutcome outcome, boolean retrying) {
        JobState state = jobs.remove(jobId);
        if (state != null) {
            ProgressUpdate last = state.throttle.latest();
            submit(() -> publishEnd(state, last, outcome, retrying), 0);
        }
    }

    /** Lets queued messages go out for up to a second, then closes the store. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        publisher.shutdown();
        try {
            publisher.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.shutdownNow();
        store.close();
    }

    /**
     * Makes sure a flush runs when the throttle next has something due. When something becomes
     * due earlier than the pending flush (the next shared-memory write, while a held-back NOTIFY
     * waits), an earlier flush replaces it; the replaced task finds its token stale and does
     * nothing, so each job has at most one live flush.
     */
    private void scheduleFlush(JobState state) {
        long now = clock.getAsLong();
        long wait = state.throttle.nanosUntilDue(now);
        if (wait < 0 || state.flushPending && state.flushDueNanos - (now + wait) <= 0) {
            return;
        }
        long token = ++state.flushToken;
        if (submit(() -> flush(state, token), wait)) {
            state.flushPending = true;
            state.flushDueNanos = now + wait;
        }
    }

    private boolean submit(Runnable task, long delayNanos) {
        if (closed) {
            return false;
        }
        try {
            publisher.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void flush(JobState state, long token) {
        ProgressThrottle.Flush flush;
        boolean cancelRequested;
        long now;
        synchronized (this) {
            if (token != state.flushToken || jobs.get(state.jobId) != state) {
                return; // replaced by an earlier flush, or the job ended and its last message is queued
            }
            state.flushPending = false;
            now = clock.getAsLong();
            flush = state.throttle.take(now);
            cancelRequested = state.cancelRequested;
            scheduleFlush(state);
        }
        try {
            if (flush.writeSharedMemory()) {
                long elapsed = now - state.startedNanos;
                store.write(state.jobId, state.kind, flush.update(), perSecond(flush.update().rowsDone(), elapsed),
                        perSecond(flush.update().bytesDone(), elapsed), cancelRequested);
            }
            for (ProgressUpdate update : flush.notifications()) {
                store.sendNotification(ProgressPayload.progress(state.jobId, state.kind, update));
            }
        } catch (SQLException | RuntimeException e) {
            logOnce(state, e);
        }
    }

    private void publishEnd(JobState state, ProgressUpdate last, JobOutcome outcome, boolean retrying) {
        try {
            store.release(state.jobId);
        } catch (SQLException | RuntimeException e) {
            logOnce(state, e);
        }
        try {
            store.sendNotification(ProgressPayload.last(state.jobId, state.kind, last, outcome, retrying));
        } catch (SQLException | RuntimeException e) {
            logOnce(state, e);
        }
    }

    // A broken slot table would otherwise log 50 lines a second per job.
    private void logOnce(JobState state, Exception e) {
        synchronized (this) {
            if (state.failureLogged) {
                return;
            }
            state.failureLogged = true;
        }
        WorkerLog.warning("cannot publish progress of job " + state.jobId + ": " + ErrorMessages.describe(e));
    }

    static Double perSecond(Long done, long elapsedNanos) {
        if (done == null || elapsedNanos <= 0) {
            return null;
        }
        return done * (double) NANOS_PER_SECOND / elapsedNanos;
    }
}
