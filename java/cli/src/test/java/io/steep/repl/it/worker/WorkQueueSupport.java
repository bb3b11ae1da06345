package io.steep.repl.it.worker;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Submitting jobs and waiting for them and for the worker, shared by the worker ITs. */
final class WorkQueueSupport {
    static final Set<String> FINAL = Set.of("complete", "failed", "cancelled");
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WORKER_TIMEOUT = WorkerClusters.WORKER_TIMEOUT;

    private WorkQueueSupport() {
    }

    /** Submits a job on the given connection (as its role) and returns its id. */
    static long submit(Connection connection, String kind, String paramsJson, int maxAttempts) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id FROM steep_repl.submit_job(?, ?::jsonb, ?)")) {
            ps.setString(1, kind);
            ps.setString(2, paramsJson);
            ps.setInt(3, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long submit(PgCluster cluster, String kind, String paramsJson, int maxAttempts) {
        try (Connection connection = cluster.connect()) {
            return submit(connection, kind, paramsJson, maxAttempts);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String status(PgCluster cluster, long jobId) {
        return cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + jobId);
    }

    static String column(PgCluster cluster, long jobId, String expression) {
        return cluster.queryString("SELECT " + expression + " FROM steep_repl.work_queue WHERE id = " + jobId);
    }

    static void awaitStatus(PgCluster cluster, long jobId, String... statuses) {
        List<String> wanted = List.of(statuses);
        PgCluster.waitFor(JOB_TIMEOUT, () -> wanted.contains(status(cluster, jobId)),
                "job " + jobId + " to reach " + wanted + " (it is " + status(cluster, jobId) + ")");
    }

    static void awaitFinal(PgCluster cluster, long jobId) {
        awaitStatus(cluster, jobId, FINAL.toArray(String[]::new));
    }

    /** Waits until the worker has connected and returns its pid. */
    static long awaitWorker(PgCluster cluster) {
        return WorkerClusters.awaitWorker(cluster);
    }

    /** Waits until the worker serving the cluster is another process than {@code oldPid}, and returns it. */
    static long awaitNewWorker(PgCluster cluster, long oldPid, Duration timeout) {
        PgCluster.waitFor(timeout, () -> {
            String pid = cluster.queryString("SELECT worker_pid FROM steep_repl.worker_status()");
            return pid != null && Long.parseLong(pid) != oldPid && Long.parseLong(pid) > 0
                    && Processes.isAlive(Long.parseLong(pid));
        }, "a new java worker replacing pid " + oldPid);
        return cluster.queryLong("SELECT worker_pid FROM steep_repl.worker_status()");
    }

    /** A cluster with the extension installed and its worker connected. */
    static PgCluster startCluster(String name, String... settings) {
        return WorkerClusters.start(name, settings);
    }
}
