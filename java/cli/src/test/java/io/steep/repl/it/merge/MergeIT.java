package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * steep_repl.start_merge between two clusters: every category lands where its strategy says,
 * per table too, every decision is audited, a dry run changes nothing, and the analysis
 * afterwards finds the tables equal (or, with manual, only the conflicts it left).
 */
class MergeIT {
    private static MergePair nodes;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("merge");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    /** The same table on both nodes: rows 1..20 alike, then one of each difference. */
    static void diverge(String table) {
        nodes.both("CREATE TABLE " + table + " (id int, region text, note text, at timestamptz, "
                        + "period interval, blob bytea, score double precision, PRIMARY KEY (id, region))",
                "INSERT INTO " + table + " SELECT i, 'r' || (i % 3), 'n' || i, "
                        + "timestamptz '2024-03-31 01:30:00+00' + i * interval '7 hours', make_interval(0, 0, 0, i), "
                        + "decode(md5(i::text), 'hex'), 1.0 / i FROM generate_series(1, 20) i");
        nodes.local.exec("INSERT INTO " + table + " (id, region, note) VALUES (100, '', 'only here')",
                "UPDATE " + table + " SET note = 'changed here' WHERE id = 5",
                "UPDATE " + table + " SET note = NULL WHERE id = 6");
        nodes.peer.exec("INSERT INTO " + table + " (id, region, note) VALUES (200, 'x', 'only there')",
                "UPDATE " + table + " SET note = 'changed there' WHERE id = 7");
    }

    /** The note of each differing key of {@link #diverge}, here and on the peer: "id: here / there". */
    static List<String> notes(String table) {
        List<String> notes = new ArrayList<>();
        for (int id : new int[] {5, 6, 7, 100, 200}) {
            String sql = "SELECT coalesce(note, 'NULL') FROM " + table + " WHERE id = " + id;
            notes.add(id + ": " + nodes.local.queryString(sql) + " / " + nodes.peer.queryString(sql));
        }
        return notes;
    }

    static List<List<String>> decisions(String mergeId) {
        return nodes.local.query("postgres", "SELECT table_name, category, resolution, key_text, strategy "
                + "FROM steep_repl.merge_decisions WHERE merge_id = '" + mergeId + "' ORDER BY category, key_text");
    }

    static List<String> audit(String mergeId) {
        return nodes.local.query("postgres", "SELECT status, dry_run, tables_total, tables_completed, matches, "
                + "local_only, remote_only, conflicts, rows_to_peer, rows_to_local, conflicts_resolved, conflicts_left "
                + "FROM steep_repl.merge_audit_log WHERE merge_id = '" + mergeId + "'").get(0);
    }

    @Test
    void preferLocalMergesBothWaysAndConverges() {
        diverge("public.pl");
        assertThat(nodes.overlap("public.pl")).containsExactly("1", "1", "3");

        List<String> outcome = nodes.merge("ARRAY['public.pl']");

        assertThat(outcome).as(nodes.local.log()).containsExactly("complete", "");
        assertThat(nodes.overlap("public.pl")).containsExactly("0", "0", "0");
        assertThat(notes("public.pl")).containsExactly("5: changed here / changed here", "6: NULL / NULL",
                "7: n7 / n7", "100: only here / only here", "200: only there / only there");
        assertThat(MergePair.rows(nodes.local, "public.pl")).isEqualTo(MergePair.rows(nodes.peer, "public.pl"));
        String mergeId = nodes.lastMerge();
        assertThat(decisions(mergeId)).containsExactly(
                List.of("public.pl", "conflict", "to_peer", "'5','r2'", "prefer-local"),
                List.of("public.pl", "conflict", "to_peer", "'6','r0'", "prefer-local"),
                List.of("public.pl", "conflict", "to_peer", "'7','r1'", "prefer-local"),
                List.of("public.pl", "local_only", "to_peer", "'100',''", "prefer-local"),
                List.of("public.pl", "remote_only", "to_local", "'200','x'", "prefer-local"));
        // status, dry_run, tables total and completed, matches, local_only, remote_only, conflicts,
        // rows to peer and to local, conflicts resolved and left
        assertThat(audit(mergeId)).containsExactly("complete", "f", "1", "1", "17", "1", "1", "3", "4", "1", "3", "0");
    }

    @Test
    void everyDecisionKeepsBothImagesOfAConflictAndWhoDecidedWhen() {
        diverge("public.images");

        assertThat(nodes.merge("ARRAY['public.images'], 'prefer-remote'")).containsExactly("complete", "");

        String mergeId = nodes.lastMerge();
        assertThat(nodes.local.query("postgres", "SELECT key_text, local_row ->> 'note', remote_row ->> 'note', "
                + "local_row IS NULL, remote_row IS NULL, decided_by::text, d.dry_run, reason IS NULL, "
                + "decided_at BETWEEN m.created_at AND m.finished_at "
                + "FROM steep_repl.merge_decisions d JOIN steep_repl.merge_audit_log m USING (merge_id) "
                + "WHERE merge_id = '" + mergeId + "' ORDER BY category, key_text")).containsExactly(
                Arrays.asList("'5','r2'", "changed here", "n5", "f", "f", "postgres", "f", "t", "t"),
                Arrays.asList("'6','r0'", null, "n6", "f", "f", "postgres", "f", "t", "t"),
                Arrays.asList("'7','r1'", "n7", "changed there", "f", "f", "postgres", "f", "t", "t"),
                Arrays.asList("'100',''", "only here", null, "f", "t", "postgres", "f", "t", "t"),
                Arrays.asList("'200','x'", null, "only there", "t", "f", "postgres", "f", "t", "t"));
    }

    @Test
    void preferRemoteTakesThePeersSideOfEveryConflict() {
        diverge("public.pr");

        assertThat(nodes.merge("ARRAY['public.pr'], 'prefer-remote'")).containsExactly("complete", "");

        assertThat(nodes.overlap("public.pr")).containsExactly("0", "0", "0");
        assertThat(notes("public.pr")).containsExactly("5: n5 / n5", "6: n6 / n6",
                "7: changed there / changed there", "100: only here / only here", "200: only there / only there");
        assertThat(decisions(nodes.lastMerge())).extracting(d -> d.get(2)).containsExactly(
                "to_local", "to_local", "to_local", "to_peer", "to_local");
        assertThat(audit(nodes.lastMerge())).containsExactly("complete", "f", "1", "1", "17", "1", "1", "3", "1", "4", "3", "0");
    }

    @Test
    void manualCopiesOneSidedRowsAndLeavesConflictsListed() {
        diverge("public.man");

        assertThat(nodes.merge("ARRAY['public.man'], 'manual'")).containsExactly("complete", "");

        assertThat(nodes.overlap("public.man")).containsExactly("0", "0", "3");
        long kept = nodes.local.queryLong("SELECT run_id FROM steep_repl.analyze_overlap('"
                + nodes.peerInfo() + "', ARRAY['public.man'], '{\"keep\": true}')");
        assertThat(nodes.local.query("postgres", "SELECT key_text FROM steep_repl.overlap_keys WHERE run_id = " + kept
                + " AND category = 'conflict' ORDER BY 1"))
                .containsExactly(List.of("'5','r2'"), List.of("'6','r0'"), List.of("'7','r1'"));
        assertThat(notes("public.man")).containsExactly("5: changed here / n5", "6: NULL / n6",
                "7: n7 / changed there", "100: only here / only here", "200: only there / only there");
        assertThat(decisions(nodes.lastMerge())).extracting(d -> d.get(1) + " " + d.get(2) + " " + d.get(3))
                .containsExactly("conflict left '5','r2'", "conflict left '6','r0'", "conflict left '7','r1'",
                        "local_only to_peer '100',''", "remote_only to_local '200','x'");
        assertThat(audit(nodes.lastMerge())).containsExactly("complete", "f", "1", "1", "17", "1", "1", "3", "1", "1", "0", "3");
    }

    @Test
    void lastModifiedByAColumnTakesTheLaterRowAndBreaksTiesByTheImageThatSortsLast() {
        String table = "public.lm";
        nodes.both("CREATE TABLE " + table + " (id int PRIMARY KEY, note text, updated_at timestamptz)");
        // id: later here, later there, no time here, no time there, tie (here sorts last), tie (there
        // sorts last), no time on either side (a tie as well)
        nodes.local.exec("INSERT INTO " + table + " VALUES (1, 'here', '2024-02-01 00:00+00'), "
                + "(2, 'here', '2024-01-01 00:00+00'), (3, 'here', NULL), (4, 'here', '2024-01-01 00:00+00'), "
                + "(5, 'b', '2024-01-01 00:00+00'), (6, 'a', '2024-01-01 00:00+00'), (7, 'b', NULL)");
        nodes.peer.exec("INSERT INTO " + table + " VALUES (1, 'there', '2024-01-01 00:00+00'), "
                + "(2, 'there', '2024-01-01 00:00:00.000001+00'), (3, 'there', '1970-01-01 00:00+00'), "
                + "(4, 'there', NULL), (5, 'a', '2024-01-01 00:00+00'), (6, 'b', '2024-01-01 00:00+00'), (7, 'a', NULL)");

        assertThat(nodes.merge("ARRAY['" + table + "'], 'last-modified', false, "
                + "'{\"last_modified_column\": {\"" + table + "\": \"updated_at\"}}'")).containsExactly("complete", "");

        assertThat(nodes.overlap(table)).containsExactly("0", "0", "0");
        assertThat(nodes.local.query("postgres", "SELECT id || ' ' || note FROM " + table + " ORDER BY id"))
                .extracting(r -> r.get(0))
                .containsExactly("1 here", "2 there", "3 there", "4 here", "5 b", "6 b", "7 b");
        assertThat(nodes.local.query("postgres", "SELECT key_text, resolution, reason FROM steep_repl.merge_decisions "
                + "WHERE merge_id = '" + nodes.lastMerge() + "' ORDER BY key_text")).containsExactly(
                List.of("'1'", "to_peer", "here 2024-02-01 00:00:00+00, on the peer 2024-01-01 00:00:00+00"),
                List.of("'2'", "to_local", "here 2024-01-01 00:00:00+00, on the peer 2024-01-01 00:00:00.000001+00"),
                List.of("'3'", "to_local", "here no time, on the peer 1970-01-01 00:00:00+00"),
                List.of("'4'", "to_peer", "here 2024-01-01 00:00:00+00, on the peer no time"),
                List.of("'5'", "to_peer", "here 2024-01-01 00:00:00+00, on the peer 2024-01-01 00:00:00+00 "
                        + "(a tie: the row image that sorts last wins)"),
                List.of("'6'", "to_local", "here 2024-01-01 00:00:00+00, on the peer 2024-01-01 00:00:00+00 "
                        + "(a tie: the row image that sorts last wins)"),
                List.of("'7'", "to_peer", "here no time, on the peer no time (a tie: the row image that sorts last wins)"));
    }

    @Test
    void eachTableFollowsItsOwnStrategyInOneRun() {
        for (String table : List.of("public.per_a", "public.per_b", "public.per_c")) {
            nodes.both("CREATE TABLE " + table + " (id int PRIMARY KEY, note text, changed date)");
            nodes.local.exec("INSERT INTO " + table + " VALUES (1, 'here', '2024-01-02'), (2, 'here', '2024-01-01')");
            nodes.peer.exec("INSERT INTO " + table + " VALUES (1, 'there', '2024-01-01'), (2, 'there', '2024-01-02')");
        }

        assertThat(nodes.merge("ARRAY['public.per_a', 'public.per_b', 'public.per_c'], 'prefer-local', false, "
                + "'{\"strategies\": {\"public.per_b\": \"prefer-remote\", \"public.per_c\": \"last-modified\"}, "
                + "\"last_modified_column\": {\"public.per_c\": \"changed\"}}'")).containsExactly("complete", "");

        for (String table : List.of("public.per_a", "public.per_b", "public.per_c")) {
            assertThat(nodes.overlap(table)).as(table).containsExactly("0", "0", "0");
        }
        assertThat(nodes.peer.query("postgres", "SELECT a.note, b.note FROM public.per_a a JOIN public.per_b b USING (id) "
                + "ORDER BY id")).containsExactly(List.of("here", "there"), List.of("here", "there"));
        assertThat(nodes.peer.query("postgres", "SELECT note FROM public.per_c ORDER BY id"))
                .containsExactly(List.of("here"), List.of("there"));
        assertThat(decisions(nodes.lastMerge())).extracting(d -> d.get(0) + " " + d.get(3) + " " + d.get(2) + " " + d.get(4))
                .containsExactlyInAnyOrder("public.per_a '1' to_peer prefer-local", "public.per_a '2' to_peer prefer-local",
                        "public.per_b '1' to_local prefer-remote", "public.per_b '2' to_local prefer-remote",
                        "public.per_c '1' to_peer last-modified", "public.per_c '2' to_local last-modified");
        assertThat(audit(nodes.lastMerge())).containsExactly("complete", "f", "3", "3", "0", "0", "0", "6", "3", "3", "6", "0");
    }

    @Test
    void lastModifiedByCommitTimestampsIsRefusedWhileThisNodeKeepsNone() {
        diverge("public.nocommitts");
        List<String> before = MergePair.rows(nodes.local, "public.nocommitts");
        long runs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");

        assertThatThrownBy(() -> nodes.local.exec("SELECT " + nodes.startMerge("ARRAY['public.nocommitts'], 'last-modified'")))
                .hasMessageContaining("strategy last-modified for table public.nocommitts needs a timestamp column "
                        + "or commit timestamps")
                .hasMessageContaining("track_commit_timestamp is off on this node");

        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(runs);
        assertThat(MergePair.rows(nodes.local, "public.nocommitts")).isEqualTo(before);
    }

    @Test
    void badRequestsAreRefusedWithAHintBeforeAnyRunStarts() {
        nodes.both("CREATE TABLE public.asked (id int PRIMARY KEY, note text, at timestamptz)",
                "CREATE TABLE public.keyless (id int)");
        long runs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("ARRAY[]::text[]", "no tables given");
        refusals.put("ARRAY['public.nope']", "table \"public.nope\" does not exist");
        refusals.put("ARRAY['public.asked', 'PUBLIC.\"asked\"']", "table public.asked is named twice");
        refusals.put("ARRAY['public.keyless']", "has no primary key");
        refusals.put("ARRAY['public.asked'], 'newest'", "strategy \"newest\" is unknown");
        refusals.put("ARRAY['public.asked'], 'manual', false, '{\"bogus\": 1}'", "unknown option(s): bogus");
        refusals.put("ARRAY['public.asked'], 'manual', false, '{\"strategies\": {\"public.other\": \"manual\"}}'",
                "strategies names table(s) that are not merged: public.other");
        refusals.put("ARRAY['public.asked'], 'manual', false, '{\"strategies\": {\"public.asked\": \"newest\"}}'",
                "strategy \"newest\" for table public.asked is unknown");
        refusals.put("ARRAY['public.asked'], 'manual', false, '{\"last_modified_column\": {\"public.asked\": \"at\"}}'",
                "last_modified_column is given for table public.asked, whose strategy is manual");
        refusals.put("ARRAY['public.asked'], 'last-modified', false, '{\"last_modified_column\": {\"public.asked\": \"note\"}}'",
                "column \"note\" of table public.asked is not a timestamp column");
        refusals.put("ARRAY['public.asked'], 'manual', false, '{\"lock_timeout\": \"forever\"}'",
                "lock_timeout \"forever\" is invalid");
        refusals.forEach((args, message) -> assertThatThrownBy(() -> nodes.local.exec("SELECT " + nodes.startMerge(args)))
                .as(args).hasMessageContaining(message).hasMessageContaining("Hint:"));

        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(runs);
    }

    @Test
    void aDryRunPlansEveryDecisionAndChangesNoRowOnEitherNode() {
        diverge("public.dry");
        List<String> localBefore = MergePair.rows(nodes.local, "public.dry");
        List<String> peerBefore = MergePair.rows(nodes.peer, "public.dry");

        assertThat(nodes.merge("ARRAY['public.dry'], 'prefer-local', true")).containsExactly("complete", "");

        assertThat(MergePair.rows(nodes.local, "public.dry")).isEqualTo(localBefore);
        assertThat(MergePair.rows(nodes.peer, "public.dry")).isEqualTo(peerBefore);
        String mergeId = nodes.lastMerge();
        assertThat(decisions(mergeId)).extracting(d -> d.get(2) + " " + d.get(3)).containsExactly(
                "to_peer '5','r2'", "to_peer '6','r0'", "to_peer '7','r1'", "to_peer '100',''", "to_local '200','x'");
        assertThat(nodes.local.queryString("SELECT bool_and(dry_run) FROM steep_repl.merge_decisions "
                + "WHERE merge_id = '" + mergeId + "'")).isEqualTo("t");
        assertThat(audit(mergeId)).containsExactly("complete", "t", "1", "1", "17", "1", "1", "3", "4", "1", "3", "0");
        assertThat(nodes.overlap("public.dry")).containsExactly("1", "1", "3");
    }

    @Test
    void aDryRunPlansFromAKeptAnalysisAndOnlyADryRunMay() {
        diverge("public.kept");
        long run = nodes.local.queryLong("SELECT run_id FROM steep_repl.analyze_overlap('" + nodes.peerInfo()
                + "', ARRAY['public.kept'], '{\"keep\": true}')");
        // a row that appears after the analysis is not part of a plan made from it
        nodes.local.exec("INSERT INTO public.kept (id, region) VALUES (300, 'later')");
        List<String> localBefore = MergePair.rows(nodes.local, "public.kept");
        List<String> peerBefore = MergePair.rows(nodes.peer, "public.kept");

        assertThatThrownBy(() -> nodes.local.exec("SELECT " + nodes.startMerge("ARRAY['public.kept'], 'prefer-remote', false, "
                + "'{\"overlap_run\": " + run + "}'"))).hasMessageContaining("overlap_run " + run + " cannot be used");
        assertThat(nodes.merge("ARRAY['public.kept'], 'prefer-remote', true, '{\"overlap_run\": " + run + "}'"))
                .containsExactly("complete", "");

        assertThat(MergePair.rows(nodes.local, "public.kept")).isEqualTo(localBefore);
        assertThat(MergePair.rows(nodes.peer, "public.kept")).isEqualTo(peerBefore);
        String mergeId = nodes.lastMerge();
        assertThat(decisions(mergeId)).extracting(d -> d.get(2) + " " + d.get(3)).containsExactly(
                "to_local '5','r2'", "to_local '6','r0'", "to_local '7','r1'", "to_peer '100',''", "to_local '200','x'");
        assertThat(audit(mergeId)).containsExactly("complete", "t", "1", "1", "17", "1", "1", "3", "1", "4", "3", "0");
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.overlap_runs WHERE run_id = " + run)).isEqualTo(1);
    }
}
