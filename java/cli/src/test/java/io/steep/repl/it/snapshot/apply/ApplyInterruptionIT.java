package io.steep.repl.it.snapshot.apply;

import static io.steep.repl.it.snapshot.apply.ApplySupport.awaitFinal;
import static io.steep.repl.it.snapshot.apply.ApplySupport.digests;
import static io.steep.repl.it.snapshot.apply.ApplySupport.job;
import static io.steep.repl.it.snapshot.apply.ApplySupport.submitApply;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An apply that is cancelled, whose worker is killed, or whose server crashes part way through its data. */
class ApplyInterruptionIT {
    private static final int TABLES = 4;
    private static PgCluster source;
    private static PgCluster target;
    private static Path snapshot;
    private static Map<String, String> sourceDigests;

    @BeforeAll
    static void start() throws Exception {
        source = PgCluster.builder().name("intr-src").start();
        target = ApplySupport.startCluster("intr-dst");
        source.exec("CREATE SCHEMA bulk");
        for (int t = 1; t <= TABLES; t++) {
            source.exec("CREATE TABLE bulk.t" + t + " (id bigint PRIMARY KEY, pad text)",
                    "INSERT INTO bulk.t" + t + " SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 400000) g");
        }
        sourceDigests = digests(source, "postgres");
        snapshot = source.serverDirectory("snapshots").resolve("snap");
        SnapshotFixture.write(source, "postgres", snapshot, CompressionSpec.parse("gzip:1"), Integer.MAX_VALUE);
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(target, source);
    }

    @BeforeEach
    void emptyTarget() {
        target.exec("DROP SCHEMA IF EXISTS bulk CASCADE", "DELETE FROM steep_repl.snapshot_loads");
    }

    @Test
    void cancelStopsTheLoadAndLeavesNoHalfLoadedTable() throws Exception {
        long id = submitApply(target, PgCluster.SUPERUSER, snapshot, 1, false, false, 1);
        awaitDataPhase(id, 0);

        try (Connection c = target.connect(); PreparedStatement ps = c.prepareStatement("SELECT steep_repl.cancel_job(?)")) {
            ps.setLong(1, id);
            ps.execute();
        }

        PgCluster.waitFor(Duration.ofSeconds(15), () -> "cancelled".equals(job(target, id, "status")),
                "job " + id + " to be cancelled (it is " + job(target, id, "status") + ")");
        for (int t = 1; t <= TABLES; t++) {
            long rows = target.queryLong("SELECT count(*) FROM bulk.t" + t);
            assertThat(rows).as("bulk.t" + t).isIn(0L, 400000L);
        }
    }

    @Test
    void aKilledWorkerIsRetriedAndTheRetryResumesToAnExactCopy() throws Exception {
        long id = submitApply(target, PgCluster.SUPERUSER, snapshot, 1, false, false, 2);
        awaitDataPhase(id, 1);
        long worker = target.queryLong("SELECT worker_pid FROM steep_repl.worker_status()");

        Processes.kill(worker, "KILL");

        assertThat(awaitFinal(target, id)).as(job(target, id, "error_message")).isEqualTo("complete");
        assertThat(job(target, id, "attempts")).isEqualTo("2");
        assertThat(job(target, id, "error_message")).contains("java worker");
        assertThat(Integer.parseInt(job(target, id, "result->>'parts_resumed'"))).isBetween(1, TABLES - 1);
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(target.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = 'bulk'")).isEqualTo(TABLES);
    }

    @Test
    void aRerunAfterAFailedKilledApplyCompletesWithoutAFalseComplete() throws Exception {
        long id = submitApply(target, PgCluster.SUPERUSER, snapshot, 1, false, false, 1);
        awaitDataPhase(id, 1);
        Processes.kill(target.queryLong("SELECT worker_pid FROM steep_repl.worker_status()"), "KILL");
        assertThat(awaitFinal(target, id)).isEqualTo("failed");
        PgCluster.waitFor(Duration.ofSeconds(60), () -> "running".equals(
                target.queryString("SELECT state FROM steep_repl.worker_status()")), "a new worker");

        long rerun = submitApply(target, PgCluster.SUPERUSER, snapshot, 2, true, false, 1);

        assertThat(awaitFinal(target, rerun)).as(job(target, rerun, "error_message")).isEqualTo("complete");
        assertThat(Integer.parseInt(job(target, rerun, "result->>'parts_resumed'"))).isBetween(1, TABLES - 1);
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(target.queryLong("SELECT count(*) FROM steep_repl.snapshot_loads")).isZero();
    }

    /**
     * The apply's sessions commit without waiting for the disk, so a crash may lose its last
     * loads and index builds; each is lost together with its ledger row, and the rerun does
     * exactly those again.
     */
    @Test
    void aServerCrashLosesALoadOnlyWithItsLedgerRowAndTheRerunCompletesTheCopy() throws Exception {
        long id = submitApply(target, PgCluster.SUPERUSER, snapshot, 2, false, false, 1);
        awaitDataPhase(id, 1);

        target.stop("immediate");
        target.start();

        assertThat(awaitFinal(target, id)).isEqualTo("failed");
        PgCluster.waitFor(Duration.ofSeconds(60), () -> "running".equals(
                target.queryString("SELECT state FROM steep_repl.worker_status()")), "a new worker");
        long loadedBefore = target.queryLong("SELECT count(*) FROM steep_repl.snapshot_loads WHERE step = 'part'");
        for (int t = 1; t <= TABLES; t++) {
            long rows = target.queryLong("SELECT count(*) FROM bulk.t" + t);
            long ledger = target.queryLong("SELECT coalesce(sum(rows), 0) FROM steep_repl.snapshot_loads "
                    + "WHERE step = 'part' AND table_schema = 'bulk' AND table_name = 't" + t + "'");
            assertThat(rows).as("rows of bulk.t" + t + " against its ledger").isEqualTo(ledger);
        }

        long rerun = submitApply(target, PgCluster.SUPERUSER, snapshot, 2, true, false, 1);

        assertThat(awaitFinal(target, rerun)).as(job(target, rerun, "error_message")).isEqualTo("complete");
        assertThat(Long.parseLong(job(target, rerun, "result->>'parts_resumed'"))).isEqualTo(loadedBefore);
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(target.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = 'bulk'")).isEqualTo(TABLES);
        assertThat(target.queryLong("SELECT count(*) FROM steep_repl.snapshot_loads")).isZero();
    }

    /** Waits until the job is loading data with at least {@code tables} tables finished. */
    private static void awaitDataPhase(long id, int tables) {
        PgCluster.waitFor(Duration.ofSeconds(60), () -> "t".equals(target.queryString(
                "SELECT phase = 'data' AND bytes_done > 0 AND items_done >= " + tables
                        + " FROM steep_repl.job_progress(" + id + ")")), "job " + id + " to be loading data");
    }
}
