package io.steep.repl.it.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.snapshot.generate.SnapshotHolder;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshot holder background worker against a real server and Java worker: it outlives a Java
 * worker killed with SIGKILL, so the retry of the job imports the same snapshot; it ends when the
 * job ends, or after steep_repl.snapshot_hold_grace once the job no longer runs; and it never holds
 * up a fast shutdown. The jobs are test.sleep jobs; the tests hold the snapshots themselves, as the
 * generate job does, from a superuser session.
 */
class SnapshotHolderIT {
    private static final String ROLE = "holder_role";
    private static final Manifest.TableName ITEMS = new Manifest.TableName("public", "items");
    private static final Set<String> FINAL = Set.of("complete", "failed", "cancelled");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** About 8 s: long enough to be killed while running, short enough for the retry to complete. */
    private static final String SHORT_SLEEP = "{\"steps\": 80, \"step_ms\": 100}";
    private static final String LONG_SLEEP = "{\"steps\": 600, \"step_ms\": 100}";

    private PgCluster cluster;

    @BeforeEach
    void start() {
        cluster = startCluster("holder");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theSnapshotSurvivesAKilledWorkerIsReusedByTheRetryAndReleasedWhenTheJobCompletes() throws Exception {
        long worker = WorkerClusters.awaitWorker(cluster);
        long job = submit(SHORT_SLEEP, 2);
        awaitRunning(job);

        SnapshotHolder.Held held;
        try (Connection c = cluster.connect()) {
            held = SnapshotHolder.hold(c, job, ROLE);
            SnapshotHolder.lock(c, job, List.of(ITEMS));
        }
        assertThat(held.reused()).isFalse();
        long holder = holderPid(job);
        cluster.exec("INSERT INTO public.items VALUES (2)");

        Processes.kill(worker, "KILL");
        PgCluster.waitFor(TIMEOUT, () -> !"running".equals(status(job)) || attempts(job) == 2,
                "job " + job + " to be requeued");

        assertThat(Processes.isAlive(worker)).isFalse();
        assertThat(Processes.isAlive(holder)).isTrue();
        assertThat(importedRows(held.name())).isEqualTo(1);
        assertThat(cluster.queryString("SELECT l.mode FROM pg_locks l WHERE l.pid = " + holder
                + " AND l.relation = 'public.items'::regclass")).isEqualTo("AccessShareLock");

        PgCluster.waitFor(TIMEOUT, () -> "running".equals(status(job)) && attempts(job) == 2
                && "1".equals(cluster.queryString("SELECT count(*) FROM steep_repl.job_progress(" + job + ")")),
                "the retry of job " + job + " to run");
        try (Connection c = cluster.connect()) {
            SnapshotHolder.Held again = SnapshotHolder.hold(c, job, ROLE);
            assertThat(again).isEqualTo(new SnapshotHolder.Held(held.name(), held.lsn(), true));
        }
        assertThat(holderPid(job)).isEqualTo(holder);

        PgCluster.waitFor(TIMEOUT, () -> FINAL.contains(status(job)), "job " + job + " to finish");
        assertThat(status(job)).isEqualTo("complete");
        awaitNoHolder(job);
        PgCluster.waitFor(Duration.ofSeconds(5), () -> !Processes.isAlive(holder), "the holder process to exit");
        assertThatThrownBy(() -> importedRows(held.name())).hasMessageContaining("invalid snapshot identifier");
        assertThat(cluster.log()).contains("steep_repl snapshot holder for job " + job + " holds snapshot \""
                + held.name() + "\"").contains("steep_repl snapshot holder for job " + job + " releases snapshot \""
                + held.name() + "\": it was released");
    }

    @Test
    void theHolderEndsAfterTheGraceOnceItsJobNoLongerRuns() throws Exception {
        // The grace covers the requeue: the next worker fails the killed one's jobs when it starts,
        // after the supervisor's restart delay (1 s) and the JVM's start.
        cluster.set("steep_repl.snapshot_hold_grace", "5s");
        long worker = WorkerClusters.awaitWorker(cluster);
        long job = submit(LONG_SLEEP, 2);
        awaitRunning(job);
        try (Connection c = cluster.connect()) {
            SnapshotHolder.hold(c, job, ROLE);
        }
        long holder = holderPid(job);

        // Longer than the grace: a running job keeps its holder.
        Thread.sleep(5500);
        assertThat(holderPid(job)).isEqualTo(holder);

        Processes.kill(worker, "KILL");
        PgCluster.waitFor(TIMEOUT, () -> "pending".equals(status(job)), "job " + job + " to be requeued");
        // Keep the retry away, so that the job does not run again within the grace.
        cluster.exec("UPDATE steep_repl.work_queue SET run_after = now() + interval '1 hour' WHERE id = " + job);
        assertThat(Processes.isAlive(holder)).isTrue();

        awaitNoHolder(job);
        assertThat(cluster.log()).contains("steep_repl snapshot holder for job " + job
                + " releases snapshot").contains("the job has not been running for 5 s");
        cluster.exec("SELECT steep_repl.cancel_job(" + job + ")");
    }

    @Test
    void aFastShutdownIsNotHeldUpByAHolder() throws Exception {
        WorkerClusters.awaitWorker(cluster);
        long holder;
        try (Connection c = cluster.connect()) {
            SnapshotHolder.hold(c, 424242, ROLE);
            SnapshotHolder.lock(c, 424242, List.of(ITEMS));
            holder = holderPid(424242);
        }

        long started = System.nanoTime();
        cluster.stop("fast");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(Processes.isAlive(holder)).isFalse();
        assertThat(cluster.log()).contains("steep_repl snapshot holder for job 424242 releases snapshot")
                .contains("it was terminated");
    }

    @Test
    void eachHolderNeedsABackgroundWorkerSlot() throws Exception {
        // The supervisor and the logical replication launcher take two of the three slots.
        try (PgCluster small = startCluster("holder-small", "max_worker_processes", "3");
                Connection c = small.connect()) {
            SnapshotHolder.hold(c, 1, ROLE);
            assertThatThrownBy(() -> SnapshotHolder.hold(c, 2, ROLE))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53400"))
                    .hasMessageContaining("could not register a background worker")
                    .hasMessageContaining("max_worker_processes");
            assertThat(SnapshotHolder.release(c, 1)).isTrue();
            assertThat(SnapshotHolder.release(c, 2)).isFalse();
        }
    }

    private static PgCluster startCluster(String name, String... settings) {
        PgCluster started = WorkerClusters.start(name, settings);
        try {
            started.exec("CREATE ROLE " + ROLE + " LOGIN",
                    "CREATE TABLE public.items (id integer)",
                    "INSERT INTO public.items VALUES (1)",
                    "GRANT SELECT ON public.items TO " + ROLE);
            return started;
        } catch (RuntimeException | AssertionError e) {
            started.close();
            throw e;
        }
    }

    /** A test.sleep job submitted by the holder's role. */
    private long submit(String params, int maxAttempts) throws SQLException {
        try (Connection c = cluster.connect("postgres", ROLE);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM steep_repl.submit_job('test.sleep', ?::jsonb, ?)")) {
            ps.setString(1, params);
            ps.setInt(2, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Running, with its progress slot claimed by the worker: what a holder watches. */
    private void awaitRunning(long job) {
        PgCluster.waitFor(TIMEOUT, () -> "running".equals(status(job))
                && "1".equals(cluster.queryString("SELECT count(*) FROM steep_repl.job_progress(" + job + ")")),
                "job " + job + " to run");
    }

    private String status(long job) {
        return cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + job);
    }

    private int attempts(long job) {
        return Integer.parseInt(cluster.queryString("SELECT attempts FROM steep_repl.work_queue WHERE id = " + job));
    }

    private long holderPid(long job) {
        return cluster.queryLong("SELECT pid FROM steep_repl.held_snapshots() WHERE job_id = " + job
                + " AND state = 'holding'");
    }

    private void awaitNoHolder(long job) {
        PgCluster.waitFor(Duration.ofSeconds(15), () -> "0".equals(cluster.queryString(
                "SELECT count(*) FROM steep_repl.held_snapshots() WHERE job_id = " + job)),
                "the holder of job " + job + " to exit");
    }

    /** Rows of public.items in the held snapshot, imported by a new transaction. */
    private long importedRows(String snapshotName) throws SQLException {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM public.items")) {
                rs.next();
                long rows = rs.getLong(1);
                s.execute("COMMIT");
                return rows;
            }
        }
    }
}
