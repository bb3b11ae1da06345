package io.steep.repl.worker;

import io.steep.repl.job.Job;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A claimed job while its thread runs: the cancel flag the handler polls, the backend pid of
 * the job's connection, and the bookkeeping for cancelling a statement that ignores the flag.
 * Shared between the dispatcher, the job's thread and the shutdown hook, hence synchronized.
 */
final class RunningJob {
    /** A handler gets this long to notice the flag before its running statement is cancelled. */
    static final Duration BACKEND_CANCEL_AFTER = Duration.ofSeconds(2);

    enum CancelReason { NONE, REQUESTED, SHUTDOWN }

    private final Job job;
    private int backendPid;
    /** The further connections a handler opened (JobContext#openConnection), by backend pid. */
    private final Map<Integer, Connection> extraBackends = new LinkedHashMap<>();
    private CancelReason cancelReason = CancelReason.NONE;
    private long lastCancelNanos;

    RunningJob(Job job) {
        this.job = job;
    }

    Job job() {
        return job;
    }

    long id() {
        return job.id();
    }

    synchronized void attachBackend(int pid) {
        backendPid = pid;
    }

    /** The job connection's backend pid, 0 until the connection is open. */
    synchronized int backendPid() {
        return backendPid;
    }

    synchronized void attachExtraBackend(int pid, Connection connection) {
        extraBackends.put(pid, connection);
    }

    synchronized void detachExtraBackend(int pid) {
        extraBackends.remove(pid);
    }

    /**
     * Every backend working for the job: its own connection first, then the further ones still
     * open (a closed connection's pid may already belong to another session).
     */
    synchronized List<Integer> backendPids() {
        extraBackends.values().removeIf(RunningJob::isClosed);
        List<Integer> pids = new ArrayList<>();
        if (backendPid != 0) {
            pids.add(backendPid);
        }
        pids.addAll(extraBackends.keySet());
        return pids;
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Sets the cancel flag; the first reason sticks, so a user's cancel stays a cancel even if
     * the worker shuts down afterwards. Returns true when the flag was not set before.
     */
    synchronized boolean requestCancel(CancelReason reason, long nowNanos) {
        if (cancelReason != CancelReason.NONE) {
            return false;
        }
        cancelReason = reason;
        lastCancelNanos = nowNanos;
        return true;
    }

    synchronized boolean isCancelRequested() {
        return cancelReason != CancelReason.NONE;
    }

    synchronized CancelReason cancelReason() {
        return cancelReason;
    }

    /**
     * True when the flag has been ignored for {@link #BACKEND_CANCEL_AFTER} since it was set (or
     * since the last backend cancel): time to cancel the job's running statement. A cancel that
     * arrives between two statements is lost, so it is repeated at the same interval.
     */
    synchronized boolean backendCancelDue(long nowNanos) {
        if (cancelReason == CancelReason.NONE || (backendPid == 0 && extraBackends.isEmpty())
                || nowNanos - lastCancelNanos < BACKEND_CANCEL_AFTER.toNanos()) {
            return false;
        }
        lastCancelNanos = nowNanos;
        return true;
    }

    /** Nanoseconds until {@link #backendCancelDue} can next be true, or -1 when it cannot be. */
    synchronized long nanosUntilBackendCancel(long nowNanos) {
        if (cancelReason == CancelReason.NONE || (backendPid == 0 && extraBackends.isEmpty())) {
            return -1;
        }
        return Math.max(0, lastCancelNanos + BACKEND_CANCEL_AFTER.toNanos() - nowNanos);
    }
}
