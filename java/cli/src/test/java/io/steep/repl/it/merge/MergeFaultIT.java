package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merge that fails midway: the peer's connection cut or the peer stopped, the worker killed,
 * a cancel, writers on either node. Each run merges two tables, the first of which completes;
 * the second is held in the middle of its merge (both nodes have written part of it, neither
 * committed) by a row lock this test takes on the local node. Afterwards the second table must
 * be exactly as it was on both nodes, the first merged, and a rerun must converge.
 */
class MergeFaultIT {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    /** Long enough for the merge to wait on the test's row lock instead of failing on it. */
    private static final String WAIT_LONG = "'{\"lock_timeout\": \"2min\"}'";
    private static PgCluster local;
    private static PgCluster peer;

    @BeforeAll
    static void start() {
        // one job at a time, so a second merge stays pending while the first runs
        local = WorkerClusters.start("merge-fault-local", "steep_repl.max_concurrent_jobs", "1");
        peer = PgCluster.builder().name("merge-fault-peer").preload(false).start();
        local.exec("CREATE EXTENSION dblink");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    private static String peerInfo() {
        return peer.conninfo("postgres", PgCluster.SUPERUSER);
    }

    /**
     * The same 1000 rows on both nodes, then: 2001 only here, 3001 only on the peer, 5 and 6
     * changed on one node each. Under prefer-remote the merge inserts 2001 on the peer, then
     * 3001 here and updates 5 and 6 here.
     */
    private static void diverge(String table) {
        String create = "CREATE TABLE " + table + " (id int PRIMARY KEY, note text)";
        String rows = "INSERT INTO " + table + " SELECT i, 'n' || i FROM generate_series(1, 1000) i";
        local.exec(create, rows, "INSERT INTO " + table + " VALUES (2001, 'here')",
                "UPDATE " + table + " SET note = 'changed here' WHERE id = 5");
        peer.exec(create, rows, "INSERT INTO " + table + " VALUES (3001, 'there')",
                "UPDATE " + table + " SET note = 'changed there' WHERE id = 6");
    }

    /** Every row of the table, in key order, as one text: equal texts mean no row lost, added or changed. */
    private static String contents(PgCluster node, String table) {
        return node.queryString("SELECT string_agg(id || ':' || coalesce(note, 'NULL'), ',' ORDER BY id) FROM " + table);
    }

    private static List<String> overlap(String... tables) {
        return local.query("postgres", "SELECT sum(local_only)::text || '/' || sum(remote_only) || '/' || sum(conflicts) "
                + "FROM steep_repl.analyze_overlap('" + peerInfo() + "', ARRAY['" + String.join("','", tables) + "'])")
                .get(0);
    }

    private static String startMerge(String tables, String options) {
        return local.queryString("SELECT merge_id FROM steep_repl.start_merge('" + peerInfo() + "', ARRAY[" + tables
                + "], 'prefer-remote', false, " + options + ")");
    }

    private static List<String> await(String mergeId) {
        return local.query("postgres", "SELECT status, coalesce(error_message, ''), tables_completed::text "
                + "FROM steep_repl.wait_merge('" + mergeId + "', '2 minutes')").get(0);
    }

    private static long jobId(String mergeId) {
        return local.queryLong("SELECT job_id FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'");
    }

    /** A local transaction holding row {@code id} of the table FOR UPDATE: the merge's UPDATE of it waits. */
    private static Connection holdRow(String table, int id) throws SQLException {
        Connection blocker = local.connect();
        blocker.setAutoCommit(false);
        try (Statement st = blocker.createStatement()) {
            st.execute("SELECT * FROM " + table + " WHERE id = " + id + " FOR UPDATE");
        }
        return blocker;
    }

    /** Waits until the merge job's session waits for a lock, in the middle of a table's merge. */
    private static void awaitBlocked(String mergeId) {
        String app = "steep_repl job " + jobId(mergeId);
        PgCluster.waitFor(RUN_TIMEOUT, () -> local.queryLong("SELECT count(*) FROM pg_stat_activity WHERE "
                + "application_name = '" + app + "' AND cardinality(pg_blocking_pids(pid)) > 0") == 1,
                "merge " + mergeId + " to wait for the row lock (log:\n" + local.log() + ")");
    }

    /** The peer's session of the merge: the one holding the merge's write lock on the table there. */
    private static long peerMergeBackend(String table) {
        return peer.queryLong("SELECT pid FROM pg_locks WHERE relation = '" + table + "'::regclass "
                + "AND mode = 'ShareRowExclusiveLock' AND granted");
    }

    private interface PeerCut {
        void cut(String table) throws Exception;
    }

    private static void failsCleanlyWhenThePeerGoesMidTable(String prefix, PeerCut cut) throws Exception {
        String first = "public." + prefix + "_first";
        String second = "public." + prefix + "_second";
        diverge(first);
        diverge(second);
        String localBefore = contents(local, second);
        String peerBefore = contents(peer, second);
        String mergeId;
        try (Connection blocker = holdRow(second, 6)) {
            mergeId = startMerge("'" + first + "', '" + second + "'", WAIT_LONG);
            awaitBlocked(mergeId);
            cut.cut(second);
            blocker.rollback();
        }

        List<String> outcome = await(mergeId);

        assertThat(outcome.get(0)).as(local.log()).isEqualTo("failed");
        assertThat(outcome.get(1)).startsWith("lost the connection to peer host=")
                .contains("while merging table " + second + " (table " + second + " was rolled back on both nodes; "
                        + "tables merged before it stay merged; run the merge again: it converges)");
        assertThat(outcome.get(2)).isEqualTo("1");
        assertThat(contents(local, second)).isEqualTo(localBefore);
        assertThat(contents(peer, second)).isEqualTo(peerBefore);
        assertThat(overlap(first)).containsExactly("0/0/0");
        assertThat(overlap(second)).containsExactly("1/1/2");

        assertThat(await(startMerge("'" + first + "', '" + second + "'", "'{}'"))).containsExactly("complete", "", "2");
        assertThat(overlap(first, second)).containsExactly("0/0/0");
        assertThat(contents(local, second)).isEqualTo(contents(peer, second));
        assertThat(peer.queryLong("SELECT count(*) FROM " + second)).isEqualTo(1002);
    }

    @Test
    void aPeerConnectionCutMidTableRollsTheTableBackOnBothNodesAndARerunConverges() throws Exception {
        failsCleanlyWhenThePeerGoesMidTable("cut", table -> peer.exec(
                "SELECT pg_terminate_backend(" + peerMergeBackend(table) + ")"));
    }

    @Test
    void aPeerStoppedMidTableRollsTheTableBackOnBothNodesAndARerunConverges() throws Exception {
        failsCleanlyWhenThePeerGoesMidTable("stopped", table -> {
            peer.stop("fast");
            peer.start();
        });
    }

    @Test
    void aWorkerKilledMidTableLeavesTheTableAsItWasAndARerunConverges() throws Exception {
        diverge("public.killed_first");
        diverge("public.killed_second");
        String localBefore = contents(local, "public.killed_second");
        String peerBefore = contents(peer, "public.killed_second");
        long worker = WorkerClusters.awaitWorker(local);
        String mergeId;
        try (Connection blocker = holdRow("public.killed_second", 6)) {
            mergeId = startMerge("'public.killed_first', 'public.killed_second'", WAIT_LONG);
            awaitBlocked(mergeId);
            Processes.kill(worker, "KILL");
            blocker.rollback();
        }

        List<String> outcome = await(mergeId);

        assertThat(outcome.get(0)).isEqualTo("failed");
        assertThat(outcome.get(1))
                .isEqualTo("java worker exited (child process was terminated by signal 9: Killed) while the job was running");
        String app = "steep_repl job " + jobId(mergeId);
        PgCluster.waitFor(RUN_TIMEOUT, () -> local.queryLong("SELECT count(*) FROM pg_stat_activity "
                + "WHERE application_name = '" + app + "'") == 0, "the killed job's session to end");
        PgCluster.waitFor(RUN_TIMEOUT, () -> peer.queryLong("SELECT count(*) FROM pg_locks WHERE relation = "
                + "'public.killed_second'::regclass") == 0, "the peer's half to be rolled back");
        assertThat(contents(local, "public.killed_second")).isEqualTo(localBefore);
        assertThat(contents(peer, "public.killed_second")).isEqualTo(peerBefore);
        assertThat(overlap("public.killed_first")).containsExactly("0/0/0");

        WorkerClusters.awaitWorker(local);
        assertThat(await(startMerge("'public.killed_first', 'public.killed_second'", "'{}'")))
                .containsExactly("complete", "", "2");
        assertThat(overlap("public.killed_first", "public.killed_second")).containsExactly("0/0/0");
    }

    @Test
    void aCancelRollsTheTableInProgressBackOnBothNodesAndKeepsTheTablesBefore() throws Exception {
        diverge("public.cancel_first");
        diverge("public.cancel_second");
        diverge("public.cancel_later");
        String localBefore = contents(local, "public.cancel_second");
        String peerBefore = contents(peer, "public.cancel_second");
        String running;
        String pending;
        try (Connection blocker = holdRow("public.cancel_second", 6)) {
            running = startMerge("'public.cancel_first', 'public.cancel_second'", WAIT_LONG);
            awaitBlocked(running);
            pending = startMerge("'public.cancel_later'", "'{}'");
            assertThat(local.queryString("SELECT status FROM steep_repl.merge_audit_log WHERE merge_id = '"
                    + pending + "'")).isEqualTo("pending");

            assertThat(local.queryString("SELECT status FROM steep_repl.cancel_merge('" + pending + "')"))
                    .isEqualTo("cancelled");
            local.exec("SELECT steep_repl.cancel_merge('" + running + "')");
            assertThat(await(running)).containsExactly("cancelled", "", "1");
            blocker.rollback();
        }

        assertThat(contents(local, "public.cancel_second")).isEqualTo(localBefore);
        assertThat(contents(peer, "public.cancel_second")).isEqualTo(peerBefore);
        PgCluster.waitFor(RUN_TIMEOUT, () -> peer.queryLong("SELECT count(*) FROM pg_locks WHERE relation = "
                + "'public.cancel_second'::regclass") == 0, "the peer's half to be rolled back");
        assertThat(overlap("public.cancel_first")).containsExactly("0/0/0");
        assertThat(overlap("public.cancel_second")).containsExactly("1/1/2");
        assertThat(await(pending)).containsExactly("cancelled", "", "0");
        assertThat(overlap("public.cancel_later")).containsExactly("1/1/2");
        // a finished run: nothing to cancel, said so, the row unchanged
        assertThat(local.query("postgres", "SELECT status, tables_completed FROM steep_repl.cancel_merge('"
                + running + "')")).containsExactly(List.of("cancelled", "1"));
    }

    @Test
    void anUncommittedWriterOnEitherNodeMakesTheMergeFailAfterTheLockTimeoutChangingNothing() throws Exception {
        diverge("public.written");
        String localBefore = contents(local, "public.written");
        String peerBefore = contents(peer, "public.written");
        for (PgCluster node : List.of(peer, local)) {
            String mergeId;
            try (Connection writer = node.connect()) {
                writer.setAutoCommit(false);
                try (Statement st = writer.createStatement()) {
                    st.execute("INSERT INTO public.written VALUES (9999, 'uncommitted')");
                }
                mergeId = startMerge("'public.written'", "'{\"lock_timeout\": \"1s\"}'");
                List<String> outcome = await(mergeId);
                writer.rollback();
                assertThat(outcome).containsExactly("failed", "could not lock table public.written on "
                        + (node == peer ? "peer host=" + peer.socketDir() + " port=" + peer.port()
                                + " dbname=postgres user=postgres" : "this node")
                        + " within 1000 ms: another session is writing to it (table public.written was rolled back "
                        + "on both nodes; tables merged before it stay merged; run the merge again: it converges)", "0");
            }
            assertThat(contents(local, "public.written")).isEqualTo(localBefore);
            assertThat(contents(peer, "public.written")).isEqualTo(peerBefore);
        }
    }

    @Test
    void aWriterThatStartsDuringTheMergeWaitsAndItsRowSurvives() throws Exception {
        diverge("public.late");
        String mergeId;
        CompletableFuture<Void> late;
        try (Connection blocker = holdRow("public.late", 6)) {
            mergeId = startMerge("'public.late'", WAIT_LONG);
            awaitBlocked(mergeId);
            late = CompletableFuture.runAsync(() -> peer.exec("INSERT INTO public.late VALUES (5000, 'late')"));
            PgCluster.waitFor(RUN_TIMEOUT, () -> peer.queryLong("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE query LIKE 'INSERT INTO public.late%' AND cardinality(pg_blocking_pids(pid)) > 0") == 1,
                    "the late writer to wait for the merge");
            blocker.rollback();
        }

        assertThat(await(mergeId)).containsExactly("complete", "", "1");
        late.get(1, TimeUnit.MINUTES);
        assertThat(peer.queryString("SELECT note FROM public.late WHERE id = 5000")).isEqualTo("late");
        // the merge's view was taken before the writer's row: it is the only difference left
        assertThat(overlap("public.late")).containsExactly("0/1/0");
    }
}
