package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steep-repl merge NODE-A NODE-B} end to end, with the nodes as named connections: dry
 * run, merge with progress and summary, JSON, status, conflicts, cancel, and the exit codes.
 */
class MergeCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PgCluster local;
    private static PgCluster peer;

    @TempDir
    Path home;
    private CliDriver cli;

    @BeforeAll
    static void start() {
        local = WorkerClusters.start("merge-cli-local");
        peer = PgCluster.builder().name("merge-cli-peer").preload(false).start();
        local.exec("CREATE EXTENSION dblink");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    @BeforeEach
    void connections() throws IOException {
        Path file = home.resolve("connections.conf");
        Files.writeString(file, section("node-a", local) + section("node-b", peer));
        cli = new CliDriver(home).env("STEEP_REPL_CONNECTIONS", file.toString());
    }

    private static String section(String name, PgCluster node) {
        return "[" + name + "]\nhost=" + node.socketDir() + "\nport=" + node.port() + "\ndbname=postgres\nuser="
                + PgCluster.SUPERUSER + "\n";
    }

    private CliDriver.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", "node-a"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    /** 1..50 alike, 101 only here, 201 only on the peer, 7 changed here. */
    private static void diverge(String table) {
        String create = "CREATE TABLE " + table + " (id int PRIMARY KEY, note text)";
        String rows = "INSERT INTO " + table + " SELECT i, 'n' || i FROM generate_series(1, 50) i";
        local.exec(create, rows, "INSERT INTO " + table + " VALUES (101, 'here')",
                "UPDATE " + table + " SET note = 'changed here' WHERE id = 7");
        peer.exec(create, rows, "INSERT INTO " + table + " VALUES (201, 'there')");
    }

    private static String contents(PgCluster node, String table) {
        return node.queryString("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM " + table);
    }

    private static String overlap(String table) {
        return local.queryString("SELECT local_only || '/' || remote_only || '/' || conflicts FROM "
                + "steep_repl.analyze_overlap('" + peer.conninfo("postgres", PgCluster.SUPERUSER) + "', ARRAY['"
                + table + "'])");
    }

    @Test
    void aDryRunPlansInJsonAndChangesNothingThenTheMergeConverges() throws Exception {
        diverge("public.cli_pl");
        String localBefore = contents(local, "public.cli_pl");
        String peerBefore = contents(peer, "public.cli_pl");

        CliDriver.Result dry = run("--json", "merge", "node-a", "node-b", "--tables", "public.cli_pl",
                "--strategy", "prefer-local", "--dry-run");

        assertThat(dry.exitCode()).as(dry.output()).isZero();
        List<String> lines = dry.stdout().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1)).get("merge");
        assertThat(last.get("status").asText()).isEqualTo("complete");
        assertThat(last.get("dry_run").asBoolean()).isTrue();
        assertThat(List.of(last.get("local_only").asLong(), last.get("remote_only").asLong(),
                last.get("conflicts").asLong(), last.get("rows_to_peer").asLong(), last.get("rows_to_local").asLong()))
                .containsExactly(1L, 1L, 1L, 2L, 1L);
        assertThat(contents(local, "public.cli_pl")).isEqualTo(localBefore);
        assertThat(contents(peer, "public.cli_pl")).isEqualTo(peerBefore);

        CliDriver.Result merged = run("merge", "node-a", "node-b", "--tables", "public.cli_pl",
                "--strategy", "prefer-local");

        assertThat(merged.exitCode()).as(merged.output()).isZero();
        String mergeId = local.queryString("SELECT merge_id FROM steep_repl.merge_audit_log "
                + "WHERE NOT dry_run AND tables = '{public.cli_pl}'");
        assertThat(merged.stderr()).contains("started merge " + mergeId + " with host=" + peer.socketDir());
        assertThat(merged.stdout()).contains("status", "complete", "1 local only, 1 remote only, 1 conflicts",
                "2 rows to the peer, 1 rows here");
        assertThat(overlap("public.cli_pl")).isEqualTo("0/0/0");
        assertThat(contents(peer, "public.cli_pl")).isEqualTo(contents(local, "public.cli_pl"));

        CliDriver.Result status = run("merge", "status", mergeId);
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.stdout()).contains(mergeId, "complete", "1 of 1 tables");
        CliDriver.Result list = run("--json", "merge", "status");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(JSON.readTree(list.stdout()).get("merges")).extracting(m -> m.get("merge_id").asText())
                .contains(mergeId);
        CliDriver.Result cancel = run("merge", "cancel", mergeId);
        assertThat(cancel.exitCode()).as(cancel.output()).isZero();
        assertThat(cancel.output()).contains("already complete");
    }

    @Test
    void aManualMergeLeavesConflictsThatMergeConflictsLists() throws Exception {
        diverge("public.cli_manual");

        CliDriver.Result merged = run("--json", "merge", "node-a", "node-b", "--tables", "public.cli_manual",
                "--strategy", "manual");

        assertThat(merged.exitCode()).as(merged.output()).isZero();
        List<String> lines = merged.stdout().lines().toList();
        String mergeId = JSON.readTree(lines.get(lines.size() - 1)).get("merge").get("merge_id").asText();
        assertThat(overlap("public.cli_manual")).isEqualTo("0/0/1");
        CliDriver.Result conflicts = run("--json", "merge", "conflicts", mergeId);
        assertThat(conflicts.exitCode()).as(conflicts.output()).isZero();
        JsonNode listed = JSON.readTree(conflicts.stdout()).get("conflicts");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("key_text").asText()).isEqualTo("'7'");
        assertThat(listed.get(0).get("resolution").asText()).isEqualTo("left");
        assertThat(listed.get(0).get("local_row").get("note").asText()).isEqualTo("changed here");
        assertThat(listed.get(0).get("remote_row").get("note").asText()).isEqualTo("n7");
        CliDriver.Result human = run("merge", "conflicts", mergeId);
        assertThat(human.stdout()).contains("public.cli_manual", "'7'", "left", "changed here");
    }

    @Test
    void aBadStrategyIsAUsageErrorAndStartsNothing() {
        long before = local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");

        CliDriver.Result bad = run("merge", "node-a", "node-b", "--tables", "public.cli_pl", "--strategy", "newest");

        assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
        assertThat(bad.stderr()).contains("strategy \"newest\" is unknown")
                .contains("Strategies are prefer-local, prefer-remote, last-modified, manual.");
        assertThat(local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(before);

        CliDriver.Result unknownTable = run("merge", "node-a", "node-b", "--tables", "public.nowhere",
                "--strategy", "prefer-local");
        assertThat(unknownTable.exitCode()).as(unknownTable.output()).isEqualTo(1);
        assertThat(unknownTable.stderr()).contains("table \"public.nowhere\" does not exist");
    }

    @Test
    void aFailedMergeExitsOneAndACancelledOneFour() {
        diverge("public.cli_locked");
        CliDriver.Result failed;
        try (var writer = peer.connect()) {
            writer.setAutoCommit(false);
            writer.createStatement().execute("INSERT INTO public.cli_locked VALUES (999, 'uncommitted')");
            failed = run("merge", "node-a", "node-b", "--tables", "public.cli_locked", "--strategy", "prefer-local",
                    "--lock-timeout", "500ms");
            writer.rollback();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
        assertThat(failed.stderr()).contains("failed: could not lock table public.cli_locked on peer")
                .contains("within 500 ms");

        CliDriver.Result detached = run("merge", "node-a", "node-b", "--tables", "public.cli_locked",
                "--strategy", "prefer-local", "--no-wait");
        assertThat(detached.exitCode()).as(detached.output()).isZero();
        assertThat(detached.stdout().strip()).matches("merge_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}");
    }
}
