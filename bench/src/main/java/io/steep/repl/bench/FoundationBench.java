package io.steep.repl.bench;

import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The foundation's latency and footprint figures on a throwaway cluster running the
 * installed extension and worker jar: job pickup latency, progress visibility across
 * sessions, and the worker's fork-to-connected time and resident memory.
 */
public final class FoundationBench {
    private static final int PICKUPS = 40;
    private static final int PROGRESS_SAMPLES = 2000;
    private static final int RESTARTS = 5;

    private FoundationBench() {
    }

    public static void main(String[] args) throws Exception {
        try (PgCluster cluster = PgCluster.builder().name("bench")
                .setting("steep_repl.restart_delay", "100ms").start()) {
            cluster.createExtension("postgres");
            awaitWorker(cluster);
            List<Stats> results = new ArrayList<>();
            results.add(jobPickup(cluster, "postgres"));
            results.add(progressVisibility(cluster));
            results.addAll(workerStart(cluster));
            System.out.println();
            results.forEach(System.out::println);
        }
    }

    /**
     * Commit of a submitted job in database db → the worker's claim (started_at), one job at a
     * time on an idle worker.
     */
    static Stats jobPickup(PgCluster cluster, String db) throws SQLException {
        double[] ms = new double[PICKUPS];
        try (Connection c = cluster.connect(db, PgCluster.SUPERUSER); Statement s = c.createStatement()) {
            for (int i = 0; i < PICKUPS; i++) {
                long id;
                try (ResultSet rs = s.executeQuery("SELECT id FROM steep_repl.submit_job('ping')")) {
                    rs.next();
                    id = rs.getLong(1);
                }
                long jobId = id;
                PgCluster.waitFor(Duration.ofSeconds(30), () -> "complete".equals(
                        cluster.query(db, "SELECT status FROM steep_repl.work_queue WHERE id = " + jobId).get(0).get(0)),
                        "ping job " + jobId);
                ms[i] = Double.parseDouble(cluster.query(db,
                        "SELECT extract(epoch FROM started_at - created_at) * 1000 FROM steep_repl.work_queue WHERE id = "
                                + jobId).get(0).get(0));
            }
        }
        return Stats.of("job pickup (commit -> claimed) in " + db, "ms", ms);
    }

    /** A progress write in one session → the new value seen by a reader polling in another. */
    private static Stats progressVisibility(PgCluster cluster) throws SQLException {
        double[] ms = new double[PROGRESS_SAMPLES];
        try (Connection writer = cluster.connect(); Connection reader = cluster.connect();
                PreparedStatement write = writer.prepareStatement(
                        "SELECT steep_repl._report_progress(999999999, 'bench', 'run', ?, ?, ?, 100, 0, 0, 0, 0)");
                PreparedStatement read = reader.prepareStatement(
                        "SELECT items_done FROM steep_repl.job_progress(999999999)")) {
            for (int i = 0; i < PROGRESS_SAMPLES; i++) {
                long start = System.nanoTime();
                write.setDouble(1, i % 100);
                write.setString(2, "item " + i);
                write.setLong(3, i);
                write.execute();
                while (true) {
                    try (ResultSet rs = read.executeQuery()) {
                        if (rs.next() && rs.getLong(1) == i) {
                            break;
                        }
                    }
                }
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            try (Statement s = writer.createStatement()) {
                s.execute("SELECT steep_repl._finish_progress(999999999)");
            }
        }
        return Stats.of("progress write -> visible to reader", "ms", ms);
    }

    /** Fork → connected time and resident memory of the Java worker over several restarts. */
    private static List<Stats> workerStart(PgCluster cluster) {
        double[] connectMs = new double[RESTARTS];
        double[] rssMb = new double[RESTARTS];
        for (int i = 0; i < RESTARTS; i++) {
            long pid = awaitWorker(cluster);
            connectMs[i] = Double.parseDouble(cluster.queryString(
                    "SELECT extract(epoch FROM worker_connected_at - worker_started_at) * 1000 FROM steep_repl.worker_status()"));
            rssMb[i] = Processes.rssKb(pid) / 1024.0;
            Processes.kill(pid, "TERM");
            PgCluster.waitFor(Duration.ofSeconds(10), () -> !Processes.isAlive(pid), "worker " + pid + " to stop");
        }
        return List.of(Stats.of("worker fork -> connected", "ms", connectMs),
                Stats.of("worker RSS when idle", "MB", rssMb));
    }

    /** Waits until a connected worker runs and returns its pid. */
    static long awaitWorker(PgCluster cluster) {
        String sql = "SELECT worker_pid FROM steep_repl.worker_status() WHERE worker_connected_at > worker_started_at";
        PgCluster.waitFor(Duration.ofSeconds(60), () -> cluster.queryString(sql) != null, "the Java worker to connect");
        return Long.parseLong(cluster.queryString(sql));
    }
}
