package io.steep.repl.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.job.Job;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's side of the work_queue protocol (docs/sql-api.md, internal functions), on the
 * control connection. Every call is one autocommit statement: a claim is committed before the
 * job starts, so no transaction stays open while a job runs.
 */
final class WorkQueue {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;

    WorkQueue(Connection connection) {
        this.connection = connection;
    }

    void workerConnected() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl._worker_connected()")) {
            ps.execute();
        }
    }

    /** Retries or fails every job still marked running; returns how many. */
    int failOrphanedJobs(String reason) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl._fail_orphaned_jobs(?)")) {
            ps.setString(1, reason);
            return singleInt(ps);
        }
    }

    /** The same for jobs marked running by any other worker process than {@code liveWorkerPid}. */
    int failOrphanedJobs(String reason, long liveWorkerPid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl._fail_orphaned_jobs(?, ?)")) {
            ps.setString(1, reason);
            ps.setInt(2, Math.toIntExact(liveWorkerPid));
            return singleInt(ps);
        }
    }

    /** steep_repl.max_concurrent_jobs as of now (a SIGHUP setting, so it may change between rounds). */
    int maxConcurrentJobs() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_catalog.current_setting('steep_repl.max_concurrent_jobs')::pg_catalog.int4")) {
            return singleInt(ps);
        }
    }

    /** The oldest runnable job, now marked running for this worker, or empty when there is none. */
    Optional<Job> claim(long workerPid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM steep_repl._claim_job(?)")) {
            ps.setInt(1, Math.toIntExact(workerPid));
            try (ResultSet rs = ps.executeQuery()) {
                // "No job" is a single row of nulls, as for any function returning a composite.
                if (!rs.next() || rs.getObject("id") == null) {
                    return Optional.empty();
                }
                return Optional.of(Job.from(rs));
            }
        }
    }

    /** Records that the jobs are alive; returns the ids whose cancel_requested is set. */
    Set<Long> heartbeat(Collection<Long> ids) throws SQLException {
        Set<Long> cancelRequested = new HashSet<>();
        Array array = connection.createArrayOf("int8", ids.toArray(Long[]::new));
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, cancel_requested FROM steep_repl._heartbeat_jobs(?)")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean("cancel_requested")) {
                        cancelRequested.add(rs.getLong("id"));
                    }
                }
            }
        } finally {
            array.free();
        }
        return cancelRequested;
    }

    /** Records the outcome; a failure may put the job back to pending for a retry (the SQL decides). */
    Job finish(long jobId, JobOutcome outcome) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT * FROM steep_repl._finish_job(?, ?, ?, ?::pg_catalog.jsonb)")) {
            ps.setLong(1, jobId);
            ps.setString(2, outcome.status().sqlName());
            ps.setString(3, outcome.error());
            ps.setString(4, outcome.result() == null ? null : toJson(outcome));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Job.from(rs);
            }
        }
    }

    int prune() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl._prune_jobs()")) {
            return singleInt(ps);
        }
    }

    /** Ends a job's session, so that the database can be dropped. */
    void terminateBackend(int backendPid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?)")) {
            ps.setInt(1, backendPid);
            ps.execute();
        }
    }

    /** Cancels whatever statement the backend runs; a no-op when it is idle. */
    void cancelBackend(int backendPid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.pg_cancel_backend(?)")) {
            ps.setInt(1, backendPid);
            ps.execute();
        }
    }

    /** Whether the control connection still works; a dead one means the server went away. */
    boolean isConnectionValid() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static int singleInt(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            int value = rs.getInt(1);
            return rs.wasNull() ? 0 : value;
        }
    }

    private static String toJson(JobOutcome outcome) throws SQLException {
        try {
            return JSON.writeValueAsString(outcome.result());
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot serialise the job result: " + e.getOriginalMessage(), e);
        }
    }
}
