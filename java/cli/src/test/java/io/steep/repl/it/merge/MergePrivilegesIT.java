package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merges by roles that are not superusers, reaching the peer through a foreign server whose
 * user mapping holds their password (the peer asks for one over TCP): a role merges with its
 * own privileges on both nodes and is refused before any change without them, and a hostile
 * role granted every table of the schema cannot write the merge history, read another role's
 * decisions, forge decisions for another role's running merge, or store a merge's secret.
 */
class MergePrivilegesIT {
    private static final String TABLE = "CREATE TABLE public.acct (id int PRIMARY KEY, note text)";
    private static final List<String> ROLES = List.of("alice", "bob", "carol", "dave", "mallory", "watcher");
    private static MergePair nodes;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("merge-priv");
        nodes.both(TABLE, "INSERT INTO public.acct VALUES (1, 'both'), (2, 'both')");
        nodes.local.exec("UPDATE public.acct SET note = 'here' WHERE id = 1", "INSERT INTO public.acct VALUES (3, 'here')");
        nodes.peer.exec("INSERT INTO public.acct VALUES (4, 'there')");
        nodes.local.exec("CREATE SERVER peer_srv FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '"
                + nodes.peer.port() + "', dbname 'postgres')");
        for (String role : ROLES) {
            nodes.both("CREATE ROLE " + role + " LOGIN PASSWORD '" + password(role) + "'");
            nodes.local.exec("CREATE USER MAPPING FOR " + role + " SERVER peer_srv OPTIONS (user '" + role
                    + "', password '" + password(role) + "')", "GRANT USAGE ON FOREIGN SERVER peer_srv TO " + role);
        }
        // alice may merge; bob may not update here; carol may not insert on the peer
        nodes.both("GRANT SELECT, INSERT, UPDATE ON public.acct TO alice");
        nodes.local.exec("GRANT SELECT, INSERT ON public.acct TO bob", "GRANT SELECT, INSERT, UPDATE ON public.acct TO carol");
        nodes.peer.exec("GRANT SELECT, INSERT, UPDATE ON public.acct TO bob", "GRANT SELECT, UPDATE ON public.acct TO carol");
        // dave may only read, on both nodes
        nodes.both("GRANT SELECT ON public.acct TO dave");
        // watcher monitors the server
        nodes.local.exec("GRANT pg_monitor TO watcher");
        // mallory holds what the quickstart grants its role, and the merged table
        nodes.local.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA steep_repl TO mallory");
        nodes.both("GRANT SELECT, INSERT, UPDATE ON public.acct TO mallory");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    static String password(String role) {
        return "pw-" + role + "-Merge";
    }

    /** Runs {@code sql} on the local node as {@code role} and returns the first column of the first row. */
    static String as(String role, String sql) {
        try (Connection c = nodes.local.connect("postgres", role); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String startAs(String role) {
        return as(role, "SELECT merge_id FROM steep_repl.start_merge('peer_srv', ARRAY['public.acct'])");
    }

    static List<List<String>> contents() {
        return List.of(MergePair.rows(nodes.local, "public.acct"), MergePair.rows(nodes.peer, "public.acct"));
    }

    @Test
    void aRoleWithoutUpdateHereIsRefusedAtOnce() {
        List<List<String>> before = contents();
        long runs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");

        assertThatThrownBy(() -> startAs("bob"))
                .hasMessageContaining("permission denied to merge table public.acct: bob lacks UPDATE")
                .hasMessageContaining("the table's owner grants SELECT, INSERT, UPDATE");

        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(runs);
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void aRoleWithoutInsertOnThePeerIsRefusedBeforeAnyChange() {
        List<List<String>> before = contents();

        String mergeId = startAs("carol");
        List<String> outcome = nodes.outcome(mergeId);

        assertThat(outcome.get(0)).isEqualTo("failed");
        assertThat(outcome.get(1)).contains("permission denied to merge on peer foreign server \"peer_srv\": public.acct: INSERT");
        assertThat(contents()).isEqualTo(before);
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_decisions WHERE merge_id = '"
                + mergeId + "'")).isZero();
    }

    @Test
    void aRoleThatMayOnlyReadMayPlanButNotMerge() {
        List<List<String>> before = contents();

        assertThatThrownBy(() -> startAs("dave")).hasMessageContaining("dave lacks INSERT, UPDATE");
        String mergeId = as("dave", "SELECT merge_id FROM steep_repl.start_merge('peer_srv', ARRAY['public.acct'], "
                + "'prefer-local', true)");

        assertThat(nodes.outcome(mergeId)).containsExactly("complete", "");
        assertThat(contents()).isEqualTo(before);
        assertThat(as("dave", "SELECT string_agg(key_text || ' ' || resolution, ', ' ORDER BY key_text) "
                + "FROM steep_repl.merge_decisions WHERE merge_id = '" + mergeId + "'"))
                .isEqualTo("'1' to_peer, '3' to_peer, '4' to_local");
    }

    @Test
    void aPasswordInThePeersConnectionStringIsRefused() {
        long jobs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.work_queue");

        assertThatThrownBy(() -> nodes.local.exec("SELECT steep_repl.start_merge('host=127.0.0.1 port=" + nodes.peer.port()
                + " dbname=postgres user=alice password=in-the-string', ARRAY['public.acct'])"))
                .hasMessageContaining("the peer's connection string holds a password")
                .hasMessageNotContaining("in-the-string");

        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.work_queue")).isEqualTo(jobs);
    }

    @Test
    void aHostileRoleCanNeitherWriteNorReadNorForgeAnotherRolesMerge() throws Exception {
        nodes.both("CREATE TABLE public.held (id int PRIMARY KEY)", "GRANT SELECT, INSERT, UPDATE ON public.held TO alice");
        String mergeId;
        // alice's merge waits for a lock on its second table, with its secret stored and decisions of the first recorded
        try (Connection holder = nodes.local.connect(); Statement hold = holder.createStatement()) {
            holder.setAutoCommit(false);
            hold.execute("LOCK TABLE public.held IN ACCESS EXCLUSIVE MODE");
            mergeId = as("alice", "SELECT merge_id FROM steep_repl.start_merge('peer_srv', ARRAY['public.acct', 'public.held'], "
                    + "'prefer-local', false, '{\"lock_timeout\": \"2min\"}')");
            String waiting = "SELECT tables_completed = 1 FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'";
            PgCluster.waitFor(Duration.ofSeconds(60), () -> "t".equals(nodes.local.queryString(waiting)),
                    "alice's merge to reach public.held (log:\n" + nodes.local.log() + ")");
            String decisions = "SELECT count(*) FROM steep_repl.merge_decisions WHERE merge_id = '" + mergeId + "'";
            assertThat(nodes.local.queryString(decisions)).isEqualTo("3");

            // reading: no run, no decision (no row image), no secret
            assertThat(as("mallory", "SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo("0");
            assertThat(as("mallory", decisions)).isEqualTo("0");
            assertThat(as("mallory", "SELECT count(*) FROM steep_repl._merge_tokens")).isEqualTo("0");
            assertThat(as("alice", decisions)).isEqualTo("3");
            // a monitoring role sees the run, not its row images
            assertThat(as("watcher", "SELECT count(*) FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'"))
                    .isEqualTo("1");
            assertThat(as("watcher", decisions)).isEqualTo("0");

            // writing the history directly
            assertThatThrownBy(() -> as("mallory", "INSERT INTO steep_repl.merge_decisions (merge_id, table_name, key_text, "
                    + "category, resolution, strategy, dry_run, decided_by) VALUES ('" + mergeId + "', 'public.acct', "
                    + "'''9''', 'conflict', 'to_peer', 'manual', false, 'alice') RETURNING 1"))
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> as("mallory", "INSERT INTO steep_repl.merge_audit_log (merge_id, peer, tables, strategy, "
                    + "dry_run, submitted_by) VALUES ('merge_20260101_000000_0123abcd', 'x', '{}', 'manual', false, 'alice') "
                    + "RETURNING 1")).hasMessageContaining("row-level security");
            assertThat(as("mallory", "WITH u AS (UPDATE steep_repl.merge_audit_log SET conflicts_left = 99 RETURNING 1) "
                    + "SELECT count(*) FROM u")).isEqualTo("0");
            assertThat(as("mallory", "WITH d AS (DELETE FROM steep_repl.merge_decisions RETURNING 1) SELECT count(*) FROM d"))
                    .isEqualTo("0");
            assertThat(as("mallory", "WITH d AS (DELETE FROM steep_repl._merge_tokens RETURNING 1) SELECT count(*) FROM d"))
                    .isEqualTo("0");

            // the recording functions: another secret, no secret, or storing a secret of its own
            String forged = "SELECT steep_repl._merge_record('" + mergeId + "', %s, 'public.acct', 'manual', "
                    + "ARRAY['''9'''], ARRAY['conflict'], ARRAY['left'], ARRAY[NULL::text], ARRAY[NULL::json], ARRAY[NULL::json], "
                    + "'{\"matches\": 0, \"local_only\": 0, \"remote_only\": 0, \"conflicts\": 1, \"rows_to_peer\": 0, "
                    + "\"rows_to_local\": 0, \"conflicts_resolved\": 0, \"conflicts_left\": 1}')";
            for (String token : List.of("'guess'", "NULL", "''")) {
                assertThatThrownBy(() -> as("mallory", String.format(forged, token)))
                        .hasMessageContaining("only merge " + mergeId + " itself records its decisions");
            }
            assertThatThrownBy(() -> as("mallory", "SELECT steep_repl._merge_begin('" + mergeId + "', "
                    + "sha256(convert_to('guess', 'UTF8')))")).hasMessageContaining("permission denied for function _merge_begin");
            assertThatThrownBy(() -> as("alice", String.format(forged, "'guess'")))
                    .hasMessageContaining("only merge " + mergeId + " itself records its decisions");
            holder.rollback();
        }

        assertThat(nodes.outcome(mergeId)).containsExactly("complete", "");
        assertThat(nodes.local.query("postgres", "SELECT key_text, resolution, decided_by::text FROM steep_repl.merge_decisions "
                + "WHERE merge_id = '" + mergeId + "' ORDER BY key_text")).containsExactly(
                List.of("'1'", "to_peer", "alice"), List.of("'3'", "to_peer", "alice"), List.of("'4'", "to_local", "alice"));
        assertThat(nodes.local.query("postgres", "SELECT tables_completed, conflicts, conflicts_left, submitted_by::text "
                + "FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'"))
                .containsExactly(List.of("2", "1", "0", "alice"));
        assertThat(MergePair.rows(nodes.local, "public.acct")).isEqualTo(MergePair.rows(nodes.peer, "public.acct"))
                .containsExactly("(1,here)", "(2,both)", "(3,here)", "(4,there)");
        assertThat(nodes.local.log()).doesNotContain(password("alice"));
    }
}
