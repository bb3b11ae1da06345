package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs and schema commands through a daemon print what they print directly, byte for byte
 * once the run-specific parts (job ids, times, durations) are masked, and exit with the same
 * codes: results, a schema mismatch (exit 3), refusals, bad input and a role without privileges.
 * node-a has steep_repl, its worker and dblink; node-b has neither and is reached by name
 * (registered on node-a at its socket directory) or by connection string, from the CLI directly
 * or from the daemon.
 */
class JobsSchemaParityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static PgCluster nodeA;
    private static PgCluster nodeB;
    private static InProcessDaemon daemon;
    private static InProcessDaemon readerDaemon;

    @TempDir
    Path home;
    private CliDriver cli;

    @BeforeAll
    static void start() {
        nodeA = PgCluster.builder().name("remote-jobs-a").setting("steep_repl.databases", "postgres").start();
        nodeB = PgCluster.builder().name("remote-jobs-b").preload(false).start();
        nodeA.createExtension("postgres");
        nodeA.exec("CREATE EXTENSION dblink",
                "SELECT steep_repl.register_node('node-a', 'A', '" + nodeA.socketDir() + "', " + nodeA.port() + ")",
                "SELECT steep_repl.register_node('node-b', 'B', '" + nodeB.socketDir() + "', " + nodeB.port() + ")",
                "CREATE ROLE reader LOGIN");
        daemon = new InProcessDaemon(nodeA.conninfo("postgres", PgCluster.SUPERUSER));
        readerDaemon = new InProcessDaemon(nodeA.conninfo("postgres", "reader"));
    }

    @AfterAll
    static void stop() {
        readerDaemon.close();
        daemon.close();
        PgCluster.closeAll(nodeA, nodeB);
    }

    @BeforeEach
    void setUp() {
        for (PgCluster node : List.of(nodeA, nodeB)) {
            node.exec("DROP SCHEMA IF EXISTS app CASCADE", "CREATE SCHEMA app");
        }
        cli = new CliDriver(home);
    }

    private CliDriver.Result direct(String... args) {
        return directAs(PgCluster.SUPERUSER, args);
    }

    private CliDriver.Result directAs(String role, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--direct", "-c", nodeA.conninfo("postgres", role)));
        return cli.run(all.toArray(String[]::new));
    }

    private CliDriver.Result remote(String... args) {
        return remoteThrough(daemon, args);
    }

    private CliDriver.Result remoteThrough(InProcessDaemon through, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--remote", through.address()));
        return cli.run(all.toArray(String[]::new));
    }

    /** Times, durations and worker pids differ from one call to the next; everything else must not. */
    private static String masked(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\d[T ][0-9:.]+(Z|[+-]\\d\\d(:\\d\\d)?)?", "<time>")
                .replaceAll("(\"duration\" : )[0-9.E-]+", "$1<duration>")
                .replaceAll("(?m)^(duration: +)\\S+$", "$1<duration>")
                .replaceAll("(\"worker_pid\" ?: ?)\\d+", "$1<pid>")
                .replaceAll("\\(it is (pending|running)\\)", "(it is <pending or running>)");
    }

    private static void assertSame(CliDriver.Result direct, CliDriver.Result remote) {
        assertThat(remote.exitCode()).as(remote.stderr()).isEqualTo(direct.exitCode());
        assertThat(masked(remote.stdout())).isEqualTo(masked(direct.stdout()));
        assertThat(masked(remote.stderr())).isEqualTo(masked(direct.stderr()));
    }

    /** The same command through both modes, where each side's own job id is masked. */
    private static void assertSameJob(CliDriver.Result direct, long directId, CliDriver.Result remote, long remoteId) {
        assertSame(withoutId(direct, directId), withoutId(remote, remoteId));
    }

    private static CliDriver.Result withoutId(CliDriver.Result result, long id) {
        String pattern = "(?<![.\\d])" + id + "(?![.\\d])";
        return new CliDriver.Result(result.exitCode(), result.stdout().replaceAll(pattern, "<id>"),
                result.stderr().replaceAll(pattern, "<id>"));
    }

    private static long lastJob() {
        return nodeA.queryLong("SELECT max(id) FROM steep_repl.work_queue");
    }

    private static long jobId(CliDriver.Result submitted) throws Exception {
        assertThat(submitted.exitCode()).as(submitted.output()).isZero();
        return JSON.readTree(submitted.stdout()).get("job").get("id").asLong();
    }

    @Test
    void submitWaitListShowAndCancelAlike() throws Exception {
        String params = "{\"note\": \"parity\", \"ratio\": 100.0, \"big\": 12345678.5}";
        CliDriver.Result directSubmit = direct("jobs", "submit", "ping", "--params", params, "--wait", "--timeout",
                "60s", "--json");
        CliDriver.Result remoteSubmit = remote("jobs", "submit", "ping", "--params", params, "--wait", "--timeout",
                "60s", "--json");
        long directId = jobId(directSubmit);
        long remoteId = jobId(remoteSubmit);
        assertThat(remoteId).isNotEqualTo(directId);
        assertSameJob(directSubmit, directId, remoteSubmit, remoteId);
        assertThat(JSON.readTree(remoteSubmit.stdout()).get("job").get("status").asText()).isEqualTo("complete");

        // The same jobs listed and shown: the same text, numbers in params as the server keeps them.
        for (String[] args : List.of(new String[] {"jobs", "list"}, new String[] {"jobs", "list", "--json"},
                new String[] {"jobs", "list", "--status", "complete", "--limit", "1"},
                new String[] {"jobs", "show", Long.toString(remoteId)},
                new String[] {"jobs", "show", Long.toString(directId), "--json"})) {
            assertSame(direct(args), remote(args));
        }
        assertThat(direct("jobs", "show", Long.toString(directId)).stdout())
                .contains("\"ratio\":100.0", "\"big\":12345678.5");

        // Cancelling a finished job changes nothing and says so, in a notice on stderr.
        CliDriver.Result directCancel = direct("jobs", "cancel", Long.toString(directId));
        assertThat(directCancel.stderr()).startsWith("notice: ");
        assertSame(directCancel, remote("jobs", "cancel", Long.toString(directId)));
    }

    @Test
    void timeoutsFailuresAndCancelsAlike() throws Exception {
        // One side after the other, each job cancelled while it runs: the worker may run one job
        // at a time, and a job cancelled before it starts shows no attempt.
        CliDriver.Result[] waits = new CliDriver.Result[2];
        CliDriver.Result[] cancels = new CliDriver.Result[2];
        long[] ids = new long[2];
        for (int side = 0; side < 2; side++) {
            String[] submit = {"jobs", "submit", "test.sleep", "--params", "{\"steps\": 600, \"step_ms\": 100}",
                "--wait", "--timeout", "300ms"};
            waits[side] = side == 0 ? direct(submit) : remote(submit);
            long id = lastJob();
            ids[side] = id;
            PgCluster.waitFor(WAIT, () -> "running".equals(
                    nodeA.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + id)), "job " + id + " to run");
            String[] cancel = {"jobs", "cancel", Long.toString(id), "--json"};
            cancels[side] = side == 0 ? direct(cancel) : remote(cancel);
            assertThat(cancels[side].exitCode()).as(cancels[side].output()).isZero();
            PgCluster.waitFor(WAIT, () -> "cancelled".equals(
                    nodeA.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + id)), "job " + id + " to end");
        }
        assertThat(waits[0].exitCode()).isEqualTo(5);
        assertSameJob(waits[0], ids[0], waits[1], ids[1]);
        assertSameJob(direct("jobs", "show", Long.toString(ids[0])), ids[0],
                remote("jobs", "show", Long.toString(ids[1])), ids[1]);

        String failing = "{\"steps\": 1, \"step_ms\": 10, \"fail_at\": 1, \"message\": \"disk on fire\"}";
        for (boolean json : List.of(false, true)) {
            String[] args = json ? new String[] {"jobs", "submit", "test.sleep", "--params", failing, "--wait", "--json"}
                    : new String[] {"jobs", "submit", "test.sleep", "--params", failing, "--wait"};
            CliDriver.Result directFail = direct(args);
            long failedDirect = lastJob();
            CliDriver.Result remoteFail = remote(args);
            long failedRemote = lastJob();
            assertThat(directFail.exitCode()).as(directFail.output()).isEqualTo(1);
            assertThat(directFail.output()).contains("disk on fire");
            assertSameJob(directFail, failedDirect, remoteFail, failedRemote);
        }
    }

    @Test
    void refusalsAndBadInputAlike() {
        for (String[] args : List.of(new String[] {"jobs", "show", "987654"},
                new String[] {"jobs", "show", "987654", "--json"},
                new String[] {"jobs", "cancel", "987654"},
                new String[] {"jobs", "cancel", "987654", "--json"},
                new String[] {"jobs", "submit", "ping", "--params", "[1, 2]"},
                new String[] {"jobs", "submit", "ping", "--params", "{\"a\": "},
                new String[] {"jobs", "submit", "ping", "--timeout", "5s"},
                new String[] {"jobs", "submit", "Bad Kind!", "--json"},
                new String[] {"jobs", "submit", "ping", "--max-attempts", "0"},
                new String[] {"jobs", "list", "--status", "lost"},
                new String[] {"schema", "diff", "--table", "orders", "node-a", "node-b"},
                new String[] {"schema", "diff", "--table", "app.nothing", "--peer", "node-b", "--via-server", "--json"},
                new String[] {"schema", "compare", "--peer", "ghost", "--via-server"},
                new String[] {"schema", "compare", "node-a"})) {
            long before = lastJobOrZero();
            CliDriver.Result direct = direct(args);
            assertThat(direct.exitCode()).as(String.join(" ", args)).isNotZero();
            assertSame(direct, remote(args));
            assertThat(lastJobOrZero()).isEqualTo(before);
        }
    }

    /**
     * A daemon connects to no node but its own database (docs/daemon.md): comparisons through it
     * go --via-server, and the forms in which the CLI itself would connect to the other node
     * are refused through a daemon, naming the way that works.
     */
    private void assertSameOrConfined(CliDriver.Result direct, String[] args) {
        if (List.of(args).contains("--via-server")) {
            assertSame(direct, remote(args));
            return;
        }
        CliDriver.Result remote = remote(args);
        assertThat(remote.exitCode()).as(remote.output()).isEqualTo(2);
        assertThat(remote.output()).contains("through a steep-repl daemon, a comparison needs --peer with "
                + "--via-server: the daemon connects to no node but its own database").contains("Add --via-server");
    }

    @Test
    void aKindNobodyHandlesEndsAlike() throws Exception {
        CliDriver.Result directRun = direct("jobs", "submit", "no.such.kind", "--wait", "--timeout", "60s", "--json");
        long directId = lastJob();
        CliDriver.Result remoteRun = remote("jobs", "submit", "no.such.kind", "--wait", "--timeout", "60s", "--json");
        long remoteId = lastJob();
        assertThat(directRun.exitCode()).as(directRun.output()).isNotZero().isNotEqualTo(5);
        assertSameJob(directRun, directId, remoteRun, remoteId);
    }

    private static long lastJobOrZero() {
        return nodeA.queryLong("SELECT coalesce(max(id), 0) FROM steep_repl.work_queue");
    }

    @Test
    void captureCompareAndDiffAlike() {
        String table = "CREATE TABLE app.orders (id bigint PRIMARY KEY, \"Customer\" varchar(80) NOT NULL, note text)";
        nodeA.exec(table, "CREATE TABLE app.\"Line Items\" (id int PRIMARY KEY, qty int CHECK (qty > 0))");
        nodeB.exec(table, "CREATE TABLE app.\"Line Items\" (id int PRIMARY KEY, qty int CHECK (qty > 0))");
        String peer = nodeB.conninfo("postgres", PgCluster.SUPERUSER);
        List<String[]> equal = List.of(new String[] {"schema", "compare", "node-a", "node-b", "--schema", "app"},
                new String[] {"schema", "compare", "node-a", "node-b", "--schema", "app", "--json"},
                new String[] {"schema", "compare", "--peer", peer, "--schema", "app", "--json"},
                new String[] {"schema", "compare", "--peer", "node-b", "--via-server", "--schema", "app"},
                new String[] {"schema", "diff", "--table", "app.\"Line Items\"", "node-a", "node-b", "--json"});
        for (String[] args : equal) {
            CliDriver.Result direct = direct(args);
            assertThat(direct.exitCode()).as(direct.output()).isZero();
            assertSameOrConfined(direct, args);
        }

        nodeB.exec("ALTER TABLE app.orders ALTER COLUMN note SET NOT NULL, ALTER COLUMN \"Customer\" TYPE text",
                "CREATE TABLE app.only_b (id int)");
        List<String[]> mismatch = List.of(new String[] {"schema", "compare", "node-a", "node-b", "--schema", "app"},
                new String[] {"schema", "compare", "node-a", "node-b", "--schema", "app", "--json"},
                new String[] {"schema", "compare", "--peer", peer, "--schema", "app"},
                new String[] {"schema", "compare", "--peer", peer, "--via-server", "--json", "--column-order", "--names"},
                new String[] {"schema", "diff", "--table", "app.orders", "node-a", "node-b"},
                new String[] {"schema", "diff", "--table", "app.orders", "--peer", "node-b", "--via-server", "--json"});
        for (String[] args : mismatch) {
            CliDriver.Result direct = direct(args);
            assertThat(direct.exitCode()).as(direct.output()).isEqualTo(3);
            assertSameOrConfined(direct, args);
        }
        assertThat(direct(mismatch.get(0)).stdout()).contains("column note: not_null local false, remote true  BLOCKING");

        for (String[] args : List.of(new String[] {"schema", "capture", "--schema", "app"},
                new String[] {"schema", "capture", "--schema", "app", "--column-order", "--names", "--json"})) {
            CliDriver.Result direct = direct(args);
            assertThat(direct.exitCode()).as(direct.output()).isZero();
            assertSame(direct, remote(args));
        }
        assertThat(nodeA.queryString("SELECT string_agg(table_name, ',' ORDER BY table_name) "
                + "FROM steep_repl.schema_fingerprints WHERE table_schema = 'app'")).isEqualTo("Line Items,orders");
    }

    @Test
    void aRoleWithoutPrivilegesIsRefusedAlike() throws Exception {
        long superusersJob = jobId(direct("jobs", "submit", "ping", "--json"));
        nodeA.exec("DELETE FROM steep_repl.schema_fingerprints");
        for (String[] args : List.of(new String[] {"schema", "capture"},
                new String[] {"schema", "capture", "--json"},
                new String[] {"jobs", "show", Long.toString(superusersJob)},
                new String[] {"jobs", "cancel", Long.toString(superusersJob), "--json"})) {
            CliDriver.Result direct = directAs("reader", args);
            assertThat(direct.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertSame(direct, remoteThrough(readerDaemon, args));
        }
        assertThat(directAs("reader", "schema", "capture").stderr())
                .contains("permission denied for table schema_fingerprints");
        // The reader sees none of the superuser's jobs, listed either way.
        assertSame(directAs("reader", "jobs", "list", "--json"), remoteThrough(readerDaemon, "jobs", "list", "--json"));
        assertThat(nodeA.queryLong("SELECT count(*) FROM steep_repl.schema_fingerprints")).isZero();
        assertThat(nodeA.queryString("SELECT cancel_requested FROM steep_repl.work_queue WHERE id = " + superusersJob))
                .isEqualTo("f");
    }
}
