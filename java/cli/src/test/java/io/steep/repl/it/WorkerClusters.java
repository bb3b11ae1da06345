package io.steep.repl.it;

import io.steep.repl.testkit.PgCluster;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/** Throwaway clusters with the extension created and the Java worker connected. */
public final class WorkerClusters {
    public static final Duration WORKER_TIMEOUT = Duration.ofSeconds(60);

    private WorkerClusters() {
    }

    /**
     * Starts a cluster with {@code settings} (name, value, ...), creates the extension in
     * postgres and waits for the worker; a cluster that gets no worker is closed again.
     */
    public static PgCluster start(String name, String... settings) {
        PgCluster cluster = PgCluster.builder().name(name).settings(settings).start();
        try {
            cluster.createExtension("postgres");
            awaitWorker(cluster);
            return cluster;
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until the worker has connected and returns its pid. */
    public static long awaitWorker(PgCluster cluster) {
        PgCluster.waitFor(WORKER_TIMEOUT, () -> "running".equals(
                cluster.queryString("SELECT state FROM steep_repl.worker_status()")),
                "the java worker to connect (log:\n" + cluster.log() + ")");
        return cluster.queryLong("SELECT worker_pid FROM steep_repl.worker_status()");
    }

    /** Waits until the job (in database postgres) is complete, failed or cancelled, and returns that status. */
    public static String awaitFinal(PgCluster cluster, long jobId, Duration timeout) {
        return awaitFinal(cluster, "postgres", jobId, timeout);
    }

    /** The same for a job of {@code database}. */
    public static String awaitFinal(PgCluster cluster, String database, long jobId, Duration timeout) {
        String query = "SELECT status FROM steep_repl.work_queue WHERE id = " + jobId;
        Supplier<String> status = () -> cluster.query(database, query).get(0).get(0);
        PgCluster.waitFor(timeout, () -> Set.of("complete", "failed", "cancelled").contains(status.get()),
                "job " + jobId + " in " + database + " to end (log:\n" + cluster.log() + ")");
        return status.get();
    }
}
