package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a merge reaches the peer and what it shows meanwhile (docs/merge.md): a role that is not
 * a superuser merges through a foreign server whose user mapping holds its password, and that
 * password appears nowhere — not in pg_stat_activity or the process titles of either server, the
 * job's params, the audit log, the progress notifications or either server's log — while
 * merge_progress() and the notifications follow the run.
 */
class MergeFaultAccessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Split so that no statement of this test that searches for it contains it whole. */
    private static final String PASSWORD_HEAD = "merge-pw-";
    private static final String PASSWORD_TAIL = "a7Qx91";
    private static final String PASSWORD = PASSWORD_HEAD + PASSWORD_TAIL;
    private static final String FIND = "'" + PASSWORD_HEAD + "' || '" + PASSWORD_TAIL + "'";
    private static PgCluster local;
    private static PgCluster peer;

    @BeforeAll
    static void start() {
        local = WorkerClusters.start("merge-access-local");
        peer = PgCluster.builder().name("merge-access-peer").preload(false).start();
        local.exec("CREATE EXTENSION dblink");
        for (PgCluster node : List.of(local, peer)) {
            node.exec("CREATE ROLE merger LOGIN PASSWORD '" + PASSWORD + "'");
        }
        // the peer asks for the password over TCP (testkit pg_hba: scram-sha-256), as dblink requires of a non-superuser
        local.exec("CREATE SERVER peer_b FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '"
                        + peer.port() + "', dbname 'postgres')",
                "CREATE USER MAPPING FOR merger SERVER peer_b OPTIONS (user 'merger', password '" + PASSWORD + "')",
                "GRANT USAGE ON FOREIGN SERVER peer_b TO merger");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    private static void table(String name) {
        for (PgCluster node : List.of(local, peer)) {
            node.exec("CREATE TABLE " + name + " (id int PRIMARY KEY, note text)",
                    "INSERT INTO " + name + " SELECT i, 'n' || i FROM generate_series(1, 100) i",
                    "GRANT SELECT, INSERT, UPDATE ON " + name + " TO merger");
        }
        local.exec("INSERT INTO " + name + " VALUES (1001, 'here')", "UPDATE " + name + " SET note = 'x' WHERE id = 6");
        peer.exec("INSERT INTO " + name + " VALUES (2001, 'there')");
    }

    private static long withPassword(PgCluster node, String sql) {
        return node.queryLong("SELECT count(*) FROM (" + sql + ") x WHERE strpos(x::text, " + FIND + ") > 0");
    }

    @Test
    void aRoleWithoutSuperuserMergesThroughAUserMappingAndThePasswordShowsNowhere() throws Exception {
        table("public.acc_first");
        table("public.acc_second");
        List<JsonNode> notes = new ArrayList<>();
        String mergeId;
        try (Connection listener = local.connect(); Connection merger = local.connect("postgres", "merger");
             Connection blocker = local.connect()) {
            listener.createStatement().execute("LISTEN steep_repl_progress");
            blocker.setAutoCommit(false);
            // holds the second table's merge in its middle (prefer-remote updates row 6 here)
            blocker.createStatement().execute("SELECT * FROM public.acc_second WHERE id = 6 FOR UPDATE");
            try (Statement st = merger.createStatement();
                 var rs = st.executeQuery("SELECT merge_id, peer FROM steep_repl.start_merge('peer_b', "
                         + "ARRAY['public.acc_first', 'public.acc_second'], 'prefer-remote', false, "
                         + "'{\"lock_timeout\": \"2min\"}')")) {
                rs.next();
                mergeId = rs.getString(1);
                assertThat(rs.getString(2)).isEqualTo("peer_b");
            }
            String app = "steep_repl job " + local.queryLong(
                    "SELECT job_id FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'");
            PgCluster.waitFor(Duration.ofMinutes(2), () -> local.queryLong("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE application_name = '" + app + "' AND cardinality(pg_blocking_pids(pid)) > 0") == 1,
                    "the merge to wait in its second table (log:\n" + local.log() + ")");

            // while it runs: its progress, and the password nowhere in either server's sessions
            assertThat(local.query("postgres", "SELECT status, phase, tables_completed, tables_total, current_table "
                    + "FROM steep_repl.merge_progress('" + mergeId + "')"))
                    .containsExactly(List.of("running", "merging", "1", "2", "public.acc_second"));
            assertThat(peer.queryLong("SELECT count(*) FROM pg_stat_activity WHERE usename = 'merger'")).isEqualTo(1);
            assertThat(withPassword(local, "SELECT * FROM pg_stat_activity")).isZero();
            assertThat(withPassword(peer, "SELECT * FROM pg_stat_activity")).isZero();
            assertThat(Processes.processesMatching(PASSWORD)).isEmpty();
            blocker.rollback();

            assertThat(local.query("postgres", "SELECT status, coalesce(error_message, ''), submitted_by::text "
                    + "FROM steep_repl.wait_merge('" + mergeId + "', '2 minutes')"))
                    .containsExactly(List.of("complete", "", "merger"));
            PGConnection pg = listener.unwrap(PGConnection.class);
            PgCluster.waitFor(Duration.ofSeconds(30), () -> {
                collect(pg, notes);
                return notes.stream().anyMatch(n -> n.path("phase").asText().equals("complete"));
            }, "the final progress notification");
        }

        assertThat(local.query("postgres", "SELECT status, phase, tables_completed, tables_total, percent "
                + "FROM steep_repl.merge_progress('" + mergeId + "')"))
                .containsExactly(List.of("complete", "complete", "2", "2", "100"));
        assertThat(notes).isNotEmpty().allSatisfy(n -> {
            assertThat(n.path("op").asText()).isEqualTo("merge");
            assertThat(n.path("merge_id").asText()).isEqualTo(mergeId);
        });
        assertThat(notes.stream().map(n -> n.path("phase").asText()).distinct().toList())
                .containsSubsequence("merging", "complete");
        assertThat(notes.stream().map(JsonNode::toString)).noneMatch(n -> n.contains(PASSWORD));
        assertThat(withPassword(local, "SELECT * FROM steep_repl.work_queue")).isZero();
        assertThat(withPassword(local, "SELECT * FROM steep_repl.merge_audit_log")).isZero();
        assertThat(withPassword(local, "SELECT * FROM steep_repl.merge_decisions")).isZero();
        assertThat(local.log()).doesNotContain(PASSWORD);
        assertThat(peer.log()).doesNotContain(PASSWORD);
        // the merger's own analysis through the same mapping: nothing left to merge
        try (Connection merger = local.connect("postgres", "merger"); Statement st = merger.createStatement();
             var rs = st.executeQuery("SELECT sum(local_only + remote_only + conflicts) FROM "
                     + "steep_repl.analyze_overlap('peer_b', ARRAY['public.acc_first', 'public.acc_second'])")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    /** The progress notifications received so far that name a merge, as JSON. */
    private static void collect(PGConnection connection, List<JsonNode> into) {
        try {
            PGNotification[] received = connection.getNotifications(100);
            if (received == null) {
                return;
            }
            for (PGNotification n : received) {
                JsonNode payload = JSON.readTree(n.getParameter());
                if (payload.has("merge_id") || "merge".equals(payload.path("op").asText())) {
                    into.add(payload);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
