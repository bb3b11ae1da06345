package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.merge.MergePair;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * overlap and the merge commands through a daemon print what they print directly, once run ids,
 * job ids, times and durations are masked, and exit with the same codes: counts, keys, a dry
 * run, status, conflicts, cancel, bad input, unknown ids, and a role without privileges (the
 * daemon connected as that role). The nodes go by the names registered on NODE-A, which the
 * daemon resolves with its own database's registry, as the CLI does with -c's.
 */
class OverlapMergeParityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEER_PASSWORD = "Secret-In-Peer-7";
    private static MergePair nodes;
    private static InProcessDaemon daemon;

    @TempDir
    Path home;
    private TwoModes modes;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("remote-merge");
        nodes.local.exec("SELECT steep_repl.register_node('node-a', 'A', '" + nodes.local.socketDir() + "', "
                        + nodes.local.port() + ")",
                "SELECT steep_repl.register_node('node-b', 'B', '" + nodes.peer.socketDir() + "', "
                        + nodes.peer.port() + ")");
        daemon = new InProcessDaemon(nodes.local.conninfo("postgres", PgCluster.SUPERUSER));
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        nodes.close();
    }

    @BeforeEach
    void setUp() {
        modes = new TwoModes(new CliDriver(home), nodes.local.conninfo("postgres", PgCluster.SUPERUSER), daemon);
    }

    /**
     * What differs from one run to the next: ids, times, durations, the width of table columns
     * that hold them, and which looks at a followed run's progress were printed (a line per
     * phase seen: how many phases a look catches depends on timing).
     */
    private static String masked(String text) {
        return text.replaceAll("(?m)^merge [^\\n]*\\n", "")
                .replaceAll("merge_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}", "<merge>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d[T ][0-9:.]+(Z|[+-]\\d\\d(:\\d\\d)?)?", "<time>")
                .replaceAll("(\"(job_id|run_id|seconds)\" : )[0-9.E-]+", "$1<n>")
                .replaceAll("\\bjob:? +\\d+", "job <n>")
                .replaceAll("\\b\\d+(\\.\\d+)? ?(ms|s)\\b", "<duration>")
                .replaceAll("(?m)^(public\\.\\S+ .*<duration>) +\\d+$", "$1 <run>")
                .replaceAll("[ \\t]+", " ");
    }

    private static void assertSame(CliDriver.Result direct, CliDriver.Result remote) {
        assertThat(remote.exitCode()).as(remote.output()).isEqualTo(direct.exitCode());
        assertThat(masked(remote.stdout())).isEqualTo(masked(direct.stdout()));
        assertThat(masked(remote.stderr())).isEqualTo(masked(direct.stderr()));
    }

    /** Both ways, alike; returns the direct result. */
    private CliDriver.Result alike(String... args) {
        return alike(modes, args);
    }

    private static CliDriver.Result alike(TwoModes both, String... args) {
        CliDriver.Result direct = both.direct(args);
        assertSame(direct, both.remote(args));
        return direct;
    }

    /** 1..50 alike, 101 only here, 201 only on the peer, 7 changed here. */
    private static void diverge(String table) {
        nodes.both("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)",
                "INSERT INTO " + table + " SELECT i, 'n' || i FROM generate_series(1, 50) i");
        nodes.local.exec("INSERT INTO " + table + " VALUES (101, 'here')",
                "UPDATE " + table + " SET note = 'changed here' WHERE id = 7");
        nodes.peer.exec("INSERT INTO " + table + " VALUES (201, 'there')");
    }

    private static long merges() {
        return nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");
    }

    /** The last JSON line of a followed run's output. */
    private static JsonNode lastLine(CliDriver.Result result) throws Exception {
        List<String> lines = result.stdout().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void overlapCountsAndKeysAlikeWithAndWithoutDetail() throws Exception {
        diverge("public.par_overlap");
        String[] pair = {"overlap", "node-a", "node-b", "--tables", "public.par_overlap"};

        CliDriver.Result json = alike(concat(pair, "--json"));
        assertThat(json.exitCode()).as(json.output()).isZero();
        JsonNode row = JSON.readTree(json.stdout()).get("tables").get(0);
        assertThat(List.of(row.get("local_only").asLong(), row.get("remote_only").asLong(),
                row.get("conflicts").asLong(), row.get("matches").asLong())).containsExactly(1L, 1L, 1L, 49L);
        alike(pair);
        CliDriver.Result detail = alike(concat(pair, "--detail", "--json"));
        assertThat(JSON.readTree(detail.stdout()).get("details")).hasSize(3);
        alike(concat(pair, "--detail"));
        alike(concat(pair, "--detail", "--limit", "1", "--rows-per-bucket", "10"));
    }

    @Test
    void aDryRunAlikeThenAMergeThroughTheDaemonConverges() throws Exception {
        diverge("public.par_merge");
        List<String> localBefore = MergePair.rows(nodes.local, "public.par_merge");
        List<String> peerBefore = MergePair.rows(nodes.peer, "public.par_merge");
        String[] dryRun = {"merge", "node-a", "node-b", "--tables", "public.par_merge", "--strategy", "prefer-local",
            "--dry-run"};

        CliDriver.Result directJson = modes.direct(concat(dryRun, "--json"));
        CliDriver.Result remoteJson = modes.remote(concat(dryRun, "--json"));
        assertThat(directJson.exitCode()).as(directJson.output()).isZero();
        assertThat(remoteJson.exitCode()).as(remoteJson.output()).isZero();
        assertThat(masked(lastLine(remoteJson).toPrettyString()))
                .isEqualTo(masked(lastLine(directJson).toPrettyString()));
        JsonNode run = lastLine(directJson).get("merge");
        assertThat(List.of(run.get("local_only").asLong(), run.get("remote_only").asLong(),
                run.get("conflicts").asLong(), run.get("rows_to_peer").asLong(), run.get("rows_to_local").asLong()))
                .containsExactly(1L, 1L, 1L, 2L, 1L);
        assertThat(run.get("peer").asText()).isEqualTo("node-b");
        assertThat(alike(dryRun).stdout()).containsPattern("would copy: +2 rows to the peer, 1 rows here");
        assertThat(MergePair.rows(nodes.local, "public.par_merge")).isEqualTo(localBefore);
        assertThat(MergePair.rows(nodes.peer, "public.par_merge")).isEqualTo(peerBefore);

        CliDriver.Result merged = modes.remote("merge", "node-a", "node-b", "--tables", "public.par_merge",
                "--strategy", "prefer-local");

        assertThat(merged.exitCode()).as(merged.output()).isZero();
        assertThat(merged.stdout()).contains("2 rows to the peer, 1 rows here");
        assertThat(nodes.overlap("public.par_merge")).containsExactly("0", "0", "0");
        assertThat(MergePair.rows(nodes.peer, "public.par_merge"))
                .isEqualTo(MergePair.rows(nodes.local, "public.par_merge"));
        CliDriver.Result after = alike("overlap", "node-a", "node-b", "--tables", "public.par_merge", "--json");
        JsonNode row = JSON.readTree(after.stdout()).get("tables").get(0);
        assertThat(List.of(row.get("local_only").asLong(), row.get("remote_only").asLong(),
                row.get("conflicts").asLong())).containsExactly(0L, 0L, 0L);
    }

    /** A diverged table merged under the manual strategy through the daemon (its conflict stays); the merge id. */
    private String manualMergeThroughTheDaemon(String table) throws Exception {
        diverge(table);
        CliDriver.Result merged = modes.remote("merge", "node-a", "node-b", "--tables", table, "--strategy", "manual",
                "--json");
        assertThat(merged.exitCode()).as(merged.output()).isZero();
        return lastLine(merged).get("merge").get("merge_id").asText();
    }

    @Test
    void statusConflictsAndCancelAlike() throws Exception {
        String mergeId = manualMergeThroughTheDaemon("public.par_manual");

        for (String[] args : List.of(new String[] {"merge", "status"}, new String[] {"merge", "status", "--json"},
                new String[] {"merge", "status", "--limit", "1", "--json"},
                new String[] {"merge", "status", mergeId}, new String[] {"merge", "status", mergeId, "--json"},
                new String[] {"merge", "conflicts", mergeId}, new String[] {"merge", "conflicts", mergeId, "--json"},
                new String[] {"merge", "conflicts", mergeId, "--limit", "1", "--json"},
                new String[] {"merge", "cancel", mergeId}, new String[] {"merge", "cancel", mergeId, "--json"})) {
            CliDriver.Result result = alike(args);
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
        JsonNode conflicts = JSON.readTree(modes.direct("merge", "conflicts", mergeId, "--json").stdout())
                .get("conflicts");
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).get("local_row").get("note").asText()).isEqualTo("changed here");
        assertThat(modes.direct("merge", "cancel", mergeId).stderr()).contains("already complete");
        assertThat(modes.direct("merge", "status", mergeId).stdout()).contains(mergeId, "complete");

        String unknown = "merge_20000101_000000_00000000";
        for (String[] args : List.of(new String[] {"merge", "status", unknown},
                new String[] {"merge", "conflicts", unknown, "--json"}, new String[] {"merge", "cancel", unknown},
                new String[] {"merge", "status", "--limit", "0"})) {
            CliDriver.Result result = alike(args);
            assertThat(result.exitCode()).as(result.output()).isNotZero();
        }
    }

    @Test
    void refusalsAlike() throws Exception {
        diverge("public.par_refused");
        nodes.both("CREATE TABLE public.par_keyless (a int)");
        long before = merges();

        refusedAlike(2, "strategy \"newest\" is unknown", "merge", "node-a", "node-b", "--tables",
                "public.par_refused", "--strategy", "newest");
        refusedAlike(1, "table \"public.nowhere\" does not exist", "merge", "node-a", "node-b", "--tables",
                "public.nowhere", "--strategy", "prefer-local", "--dry-run");
        refusedAlike(1, "public.nowhere", "overlap", "node-a", "node-b", "--tables", "public.nowhere");
        assertThat(merges()).isEqualTo(before);
        refusedAlike(1, "has no primary key", "overlap", "node-a", "node-b", "--tables", "public.par_keyless");
        refusedAlike(1, "primary key", "merge", "node-a", "node-b", "--tables", "public.par_keyless",
                "--strategy", "prefer-local", "--dry-run");

        // A peer string with a password: the password goes to no server, in either mode.
        String withPassword = "host=127.0.0.1 port=" + nodes.peer.port() + " dbname=postgres user="
                + PgCluster.SUPERUSER + " password=" + PEER_PASSWORD;
        CliDriver.Result overlap = alike("overlap", "node-a", withPassword, "--tables", "public.par_refused");
        CliDriver.Result merge = alike("merge", "node-a", withPassword, "--tables", "public.par_refused",
                "--strategy", "prefer-local", "--dry-run");
        for (CliDriver.Result result : List.of(overlap, merge)) {
            assertThat(result.exitCode()).as(result.output()).isNotZero();
            assertThat(result.output()).doesNotContain(PEER_PASSWORD);
        }
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.work_queue WHERE params::text LIKE '%"
                + PEER_PASSWORD + "%'")).isZero();
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log WHERE peer LIKE '%"
                + PEER_PASSWORD + "%'")).isZero();
        assertThat(nodes.local.log()).doesNotContain(PEER_PASSWORD);
    }

    /** Refused alike both ways, with this exit code and a message that says why. */
    private void refusedAlike(int exitCode, String why, String... args) {
        refusedAlike(modes, exitCode, why, args);
    }

    private static void refusedAlike(TwoModes both, int exitCode, String why, String... args) {
        CliDriver.Result refused = alike(both, args);
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(exitCode);
        assertThat(refused.stderr()).contains(why);
    }

    @Test
    void aRoleWithoutPrivilegesIsRefusedAlike() throws Exception {
        String mergeId = manualMergeThroughTheDaemon("public.par_private");
        nodes.local.exec("CREATE ROLE outsider LOGIN");
        String outsider = nodes.local.conninfo("postgres", "outsider");
        try (InProcessDaemon outsiders = new InProcessDaemon(outsider)) {
            TwoModes asOutsider = new TwoModes(modes.cli(), outsider, outsiders);
            refusedAlike(asOutsider, 1, "does not exist", "merge", "status", mergeId);
            refusedAlike(asOutsider, 1, "does not exist", "merge", "conflicts", mergeId);
            refusedAlike(asOutsider, 1, "does not exist", "merge", "cancel", mergeId);
            refusedAlike(asOutsider, 1, "outsider lacks SELECT", "merge", "node-a", "node-b", "--tables",
                    "public.par_private", "--strategy", "prefer-local", "--dry-run");
            refusedAlike(asOutsider, 6, "password is required", "overlap", "node-a", "node-b", "--tables",
                    "public.par_private");
            CliDriver.Result listed = asOutsider.direct("merge", "status", "--json");
            assertSame(listed, asOutsider.remote("merge", "status", "--json"));
            assertThat(JSON.readTree(listed.stdout()).get("merges")).isEmpty();
        }
        assertThat(modes.direct("merge", "status", mergeId).stdout()).contains("complete");
    }

    private static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
