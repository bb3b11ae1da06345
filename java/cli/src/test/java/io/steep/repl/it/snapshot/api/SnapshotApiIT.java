package io.steep.repl.it.snapshot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The snapshot SQL API and CLI against a cluster whose worker runs this build: runs start at
 * once, their end reaches the snapshots row and the progress channel, and the CLI maps
 * outcomes to exit codes. A directory the server cannot create makes a run fail whatever
 * the handlers do, so these tests hold before and after the engines exist.
 */
class SnapshotApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The server cannot create directories under /proc. */
    private static final String UNWRITABLE = "/proc/steep-repl-snapshot-it";
    private static PgCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("snapshot-api").start();
        cluster.createExtension("postgres");
        cluster.exec("CREATE ROLE snap_plain LOGIN", "CREATE ROLE snap_writer LOGIN IN ROLE pg_write_server_files");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private CliDriver.Result run(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-c");
        all.add(cluster.conninfo("postgres", user));
        return new CliDriver(home).run(all.toArray(String[]::new));
    }

    private static String status(String snapshotId) {
        return cluster.queryString("SELECT status FROM steep_repl.snapshots WHERE snapshot_id = '" + snapshotId + "'");
    }

    @Test
    void startReturnsPendingAtOnceAndTheFailureReachesTheRowAndTheChannel() throws Exception {
        try (Connection listener = cluster.connect(); Connection session = cluster.connect();
                Statement listen = listener.createStatement(); Statement s = session.createStatement()) {
            listen.execute("LISTEN steep_repl_progress");
            String id;
            try (ResultSet rs = s.executeQuery("SELECT snapshot_id, status FROM steep_repl.start_snapshot('"
                    + UNWRITABLE + "/a', 'zstd:3', 2)")) {
                rs.next();
                id = rs.getString(1);
                assertThat(rs.getString(2)).isEqualTo("pending");
            }
            try (ResultSet rs = s.executeQuery("SELECT status, error_message FROM steep_repl.wait_snapshot('" + id
                    + "', '60 s')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("failed");
                assertThat(rs.getString(2)).isNotBlank();
            }
            long jobId = cluster.queryLong("SELECT job_id FROM steep_repl.snapshots WHERE snapshot_id = '" + id + "'");
            JsonNode last = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (last == null && System.nanoTime() < deadline) {
                PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(1000);
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    JsonNode message = JSON.readTree(n.getParameter());
                    boolean ours = id.equals(message.path("snapshot_id").asText())
                            || message.path("job_id").asLong() == jobId;
                    if (ours && "failed".equals(message.path("phase").asText())) {
                        last = message;
                    }
                }
            }
            assertThat(last).as("final progress notification").isNotNull();
            // Any role may LISTEN: the error stays in the run's row, which only its submitter reads.
            assertThat(last.has("error")).isFalse();
            assertThat(cluster.queryString("SELECT error_message FROM steep_repl.snapshots WHERE snapshot_id = '"
                    + id + "'")).isNotBlank();
        }
    }

    @Test
    void cliFollowsAFailingRunToExitOneWithAHintAndJsonLines() throws Exception {
        CliDriver.Result human = run(PgCluster.SUPERUSER, "snapshot", "generate", "node-a", "--output", UNWRITABLE + "/b");
        assertThat(human.exitCode()).as(human.output()).isEqualTo(1);
        assertThat(human.stderr()).contains("error: snapshot snap_").contains("failed").contains("hint: ");

        CliDriver.Result json = run(PgCluster.SUPERUSER, "snapshot", "generate", "node-a", "--output", UNWRITABLE + "/c",
                "--json");
        assertThat(json.exitCode()).as(json.output()).isEqualTo(1);
        List<String> lines = json.stdout().lines().toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
        }
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.path("snapshot").path("status").asText()).isEqualTo("failed");
        assertThat(last.path("snapshot").path("options").path("node_id").asText()).isEqualTo("node-a");
        assertThat(last.path("error").path("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void detachReturnsTheIdAndCancelOfAPendingRunIsImmediate() throws Exception {
        // The worker runs one job at a time (the default): a long job ahead keeps the run pending.
        try {
            cluster.exec("SELECT steep_repl.submit_job('test.sleep', '{\"steps\": 600, \"step_ms\": 100}')");
            CliDriver.Result detached = run(PgCluster.SUPERUSER, "snapshot", "generate", "node-a", "--output",
                    UNWRITABLE + "/d", "--detach");
            assertThat(detached.exitCode()).as(detached.output()).isZero();
            String id = detached.stdout().trim();
            assertThat(id).matches("snap_\\d{8}_\\d{6}_[0-9a-f]{8}");
            assertThat(detached.stderr()).contains("steep-repl snapshot progress " + id)
                    .contains("steep-repl snapshot cancel " + id);

            CliDriver.Result cancelled = run(PgCluster.SUPERUSER, "snapshot", "cancel", id, "--json");
            assertThat(cancelled.exitCode()).as(cancelled.output()).isZero();
            String after = JSON.readTree(cancelled.stdout()).path("snapshot").path("status").asText();
            assertThat(after).isEqualTo("cancelled");
            assertThat(status(id)).isEqualTo("cancelled");
        } finally {
            cluster.exec("UPDATE steep_repl.work_queue SET cancel_requested = true WHERE kind = 'test.sleep' AND status IN ('pending', 'running')");
        }
    }

    @Test
    void serverFilePrivilegesAreChecked() {
        CliDriver.Result plain = run("snap_plain", "snapshot", "generate", "node-a", "--output", "/tmp/x-snap");
        assertThat(plain.exitCode()).as(plain.output()).isEqualTo(1);
        assertThat(plain.stderr()).contains("permission denied to write snapshot files").contains("pg_write_server_files");

        CliDriver.Result writer = run("snap_writer", "snapshot", "generate", "node-a", "--output", UNWRITABLE + "/e",
                "--detach");
        assertThat(writer.exitCode()).as(writer.output()).isZero();

        CliDriver.Result reader = run("snap_writer", "snapshot", "apply", "node-b", "--input", "/tmp/x-snap");
        assertThat(reader.exitCode()).as(reader.output()).isEqualTo(1);
        assertThat(reader.stderr()).contains("permission denied to read snapshot files");
    }

    @Test
    void listShowsTheNewestRunFirstAndProgressOfAnUnknownIdIsAnError() throws Exception {
        CliDriver.Result started = run(PgCluster.SUPERUSER, "snapshot", "generate", "node-a", "--output",
                UNWRITABLE + "/f", "--detach");
        String id = started.stdout().trim();
        CliDriver.Result list = run(PgCluster.SUPERUSER, "snapshot", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(JSON.readTree(list.stdout()).path("snapshots").get(0).path("snapshot_id").asText()).isEqualTo(id);

        CliDriver.Result unknown = run(PgCluster.SUPERUSER, "snapshot", "progress", "snap_20260101_000000_00000000");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("does not exist");
    }
}
