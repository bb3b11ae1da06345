package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.proto.v1.GenerateSnapshotRequest;
import io.steep.repl.proto.v1.RunEvent;
import io.steep.repl.proto.v1.SnapshotServiceGrpc;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot commands through a daemon do what they do directly: generate and apply write the
 * same manifest and load the same rows, print the same summary and JSON, exit alike; list,
 * progress and cancel of pending and finished runs answer alike; refusals read the same; a
 * client that leaves a progress stream leaves the run going; and verify checks the daemon's
 * files only where the daemon's role may read snapshot files.
 */
class SnapshotParityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "postgres";
    private static final String DIRECT_TARGET = "dst_direct";
    private static final String REMOTE_TARGET = "dst_remote";
    private static final String UNKNOWN_ID = "snap_20990101_000000_deadbeef";
    /** What the worker is busy with while a test needs runs to stay pending (one job at a time). */
    private static final String BLOCKER = "SELECT steep_repl.submit_job('test.sleep', '{\"steps\": 1200, \"step_ms\": 100}')";

    private static PgCluster cluster;
    private static InProcessDaemon sourceDaemon;
    private static InProcessDaemon targetDaemon;
    /** A daemon whose role may not read server files (and no steep_repl.snapshot_dir is set). */
    private static InProcessDaemon plainDaemon;
    private static Path root;

    @TempDir
    Path home;
    private CliDriver cli;

    @BeforeAll
    static void start() {
        cluster = ApplySupport.startCluster("snap-parity");
        cluster.exec("CREATE TABLE public.items (id int PRIMARY KEY, name text, price numeric(10,2))",
                "INSERT INTO public.items SELECT g, 'item ' || g, g / 7.0 FROM generate_series(1, 5000) g",
                "CREATE TABLE public.notes (id serial PRIMARY KEY, body text)",
                "INSERT INTO public.notes (body) SELECT repeat(md5(g::text), 3) FROM generate_series(1, 300) g",
                "CREATE ROLE plain LOGIN");
        for (String db : List.of(DIRECT_TARGET, REMOTE_TARGET)) {
            cluster.createDatabase(db);
            cluster.createExtension(db);
        }
        root = cluster.serverDirectory("snapshots");
        sourceDaemon = new InProcessDaemon(cluster.conninfo(SOURCE, PgCluster.SUPERUSER));
        targetDaemon = new InProcessDaemon(cluster.conninfo(REMOTE_TARGET, PgCluster.SUPERUSER));
        plainDaemon = new InProcessDaemon(cluster.conninfo(SOURCE, "plain"));
    }

    @AfterAll
    static void stop() {
        for (InProcessDaemon daemon : new InProcessDaemon[] {sourceDaemon, targetDaemon, plainDaemon}) {
            if (daemon != null) {
                daemon.close();
            }
        }
        PgCluster.closeAll(cluster);
    }

    @BeforeEach
    void setUp() {
        cli = new CliDriver(home);
    }

    private CliDriver.Result direct(String database, String... args) {
        return directAs(PgCluster.SUPERUSER, database, args);
    }

    private CliDriver.Result directAs(String role, String database, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--direct", "-c", cluster.conninfo(database, role)));
        return cli.run(all.toArray(String[]::new));
    }

    private CliDriver.Result remote(InProcessDaemon daemon, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--remote", daemon.address()));
        return cli.run(all.toArray(String[]::new));
    }

    /** Run ids, job ids, times, durations, LSNs, rates and the two modes' directories differ; nothing else may. */
    private static String masked(String text) {
        return text.replaceAll("snap_\\d{8}_\\d{6}_[0-9a-f]{8}", "<id>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d[T ][0-9:.]+(Z|[+-]\\d\\d(:\\d\\d)?)?", "<time>")
                .replaceAll("\\b[0-9A-F]{1,8}/[0-9A-F]{1,8}\\b", "<lsn>")
                .replaceAll("(job[ \"_:id]*)\\d+", "$1<n>")
                .replaceAll("(?m)^(duration:? +|rate:? +).*$", "$1<d>")
                .replaceAll("(\"bytes_per_sec\" ?: ?)[0-9.E-]+", "$1<rate>")
                .replaceAll("(\"manifest_sha256\" ?: ?)\"[0-9a-f]{64}\"", "$1<sha256 of a manifest with ids and times>")
                .replaceAll("(direct|remote)-(gen|again|failed|detached)", "<mode>-$2");
    }

    /** The live progress lines of a plain (not terminal) run depend on timing: left out. */
    private static String summary(String stdout) {
        return String.join("\n", stdout.lines().filter(l -> !l.matches("^(generate|apply) .*")).toList());
    }

    private static void assertAlike(CliDriver.Result direct, CliDriver.Result remote) {
        assertThat(remote.exitCode()).as("exit code; remote stderr: " + remote.stderr()).isEqualTo(direct.exitCode());
        assertThat(masked(summary(remote.stdout()))).isEqualTo(masked(summary(direct.stdout())));
        assertThat(masked(remote.stderr())).isEqualTo(masked(direct.stderr()));
    }

    @Test
    void generateThenApplyGiveTheSameManifestRowsAndOutput() throws Exception {
        Path directDir = root.resolve("direct-gen");
        Path remoteDir = root.resolve("remote-gen");
        CliDriver.Result generatedDirect = direct(SOURCE, "snapshot", "generate", "node-a", "--output",
                directDir.toString(), "--compression", "gzip", "--parallel", "2", "--checksum", "sha256");
        CliDriver.Result generatedRemote = remote(sourceDaemon, "snapshot", "generate", "node-a", "--output",
                remoteDir.toString(), "--compression", "gzip", "--parallel", "2", "--checksum", "sha256");
        assertThat(generatedDirect.exitCode()).as(generatedDirect.output()).isZero();
        assertAlike(generatedDirect, generatedRemote);
        assertThat(generatedRemote.stdout()).contains("complete");
        // the daemon passed --checksum on: the manifests compared below have sha256 entries alike
        assertThat(Files.readString(remoteDir.resolve("manifest.json")))
                .contains("\"checksum_algorithm\" : \"sha256\"").doesNotContain("\"crc32c\"");
        assertThat(comparable(directDir)).isEqualTo(comparable(remoteDir));

        CliDriver.Result appliedDirect = direct(DIRECT_TARGET, "snapshot", "apply", "node-b", "--input",
                directDir.toString(), "--parallel", "2");
        CliDriver.Result appliedRemote = remote(targetDaemon, "snapshot", "apply", "node-b", "--input",
                remoteDir.toString(), "--parallel", "2");
        assertThat(appliedDirect.exitCode()).as(appliedDirect.output()).isZero();
        assertAlike(appliedDirect, appliedRemote);
        for (String table : List.of("public.items", "public.notes")) {
            String digest = "SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY t.id)) FROM " + table + " t";
            String expected = cluster.query(SOURCE, digest).get(0).get(0);
            assertThat(cluster.query(DIRECT_TARGET, digest).get(0).get(0)).as(table + " direct").isEqualTo(expected);
            assertThat(cluster.query(REMOTE_TARGET, digest).get(0).get(0)).as(table + " remote").isEqualTo(expected);
        }

        // verify reads the same files here and on the daemon's machine (here the same one).
        for (String[] args : List.of(new String[] {"snapshot", "verify", directDir.toString()},
                new String[] {"snapshot", "verify", directDir.toString(), "--rows", "--json"})) {
            CliDriver.Result here = cli.run(args);
            assertThat(here.exitCode()).as(here.output()).isZero();
            assertAlike(here, remote(sourceDaemon, args));
        }
    }

    /**
     * The manifest without what differs from one run to the next: ids, times, the snapshot's
     * position, and the checksums of the schema scripts, which pg_dump guards with a random key
     * ({@code \restrict KEY}); the scripts' text without those lines instead.
     */
    private static List<Object> comparable(Path snapshot) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(Files.readString(snapshot.resolve("manifest.json")));
        assertThat(manifest.path("snapshot_id").asText()).matches("snap_\\d{8}_\\d{6}_[0-9a-f]{8}");
        manifest.remove(List.of("snapshot_id", "created_at", "completed_at"));
        ((ObjectNode) manifest.path("consistency")).remove(List.of("exported_snapshot", "lsn"));
        List<Object> parts = new ArrayList<>(List.of(manifest));
        for (String script : List.of("pre_data", "post_data")) {
            ObjectNode entry = (ObjectNode) manifest.path("schema").path(script);
            entry.remove("checksum");
            parts.add(Files.readString(snapshot.resolve(entry.path("file").asText())).lines()
                    .filter(line -> !line.matches("\\\\(un)?restrict .*")).toList());
        }
        return parts;
    }

    @Test
    void jsonStreamsHaveTheSameEventsAndFinalRecord() throws Exception {
        CliDriver.Result direct = direct(SOURCE, "snapshot", "generate", "node-a", "--output",
                root.resolve("direct-json").toString(), "--json");
        CliDriver.Result remote = remote(sourceDaemon, "snapshot", "generate", "node-a", "--output",
                root.resolve("remote-json").toString(), "--json");
        assertThat(direct.exitCode()).as(direct.output()).isZero();
        assertThat(remote.exitCode()).as(remote.output()).isZero();
        assertThat(remote.stderr()).isEqualTo(direct.stderr());

        List<JsonNode> directEvents = events(direct.stdout());
        List<JsonNode> remoteEvents = events(remote.stdout());
        assertThat(kinds(remoteEvents)).isEqualTo(kinds(directEvents)).containsExactly("progress", "snapshot");
        Set<String> progressShape = shape(directEvents.get(0).path("progress"));
        for (JsonNode event : remoteEvents.subList(0, remoteEvents.size() - 1)) {
            assertThat(shape(event.path("progress"))).isEqualTo(progressShape);
        }
        String directLast = directEvents.get(directEvents.size() - 1).toString().replace("direct-json", "<dir>");
        String remoteLast = remoteEvents.get(remoteEvents.size() - 1).toString().replace("remote-json", "<dir>");
        assertThat(masked(remoteLast)).isEqualTo(masked(directLast));
    }

    private static List<JsonNode> events(String stdout) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : stdout.lines().toList()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    /** The kind of each event (its one key), a run of progress events counted once. */
    private static List<String> kinds(List<JsonNode> events) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode event : events) {
            String kind = event.fieldNames().next();
            if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    private static Set<String> shape(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void pendingAndFinishedRunsListProgressAndCancelAlike() {
        String directId;
        String remoteId;
        try {
            cluster.exec(BLOCKER);
            List<String> ids = detachedAlike("again");
            directId = ids.get(0);
            remoteId = ids.get(1);
            assertThat(status(remoteId)).isEqualTo("pending");

            assertAlike(direct(SOURCE, "snapshot", "progress", directId),
                    remote(sourceDaemon, "snapshot", "progress", remoteId));
            assertAlike(direct(SOURCE, "snapshot", "progress", directId, "--json"),
                    remote(sourceDaemon, "snapshot", "progress", remoteId, "--json"));
            // Both modes list the same runs of the same database.
            for (String[] args : List.of(new String[] {"snapshot", "list", "--limit", "2"},
                    new String[] {"snapshot", "list", "--json"}, new String[] {"snapshot", "progress"})) {
                CliDriver.Result listed = direct(SOURCE, args);
                assertThat(listed.exitCode()).as(listed.output()).isZero();
                assertThat(remote(sourceDaemon, args)).isEqualTo(listed);
            }

            CliDriver.Result cancelledDirect = direct(SOURCE, "snapshot", "cancel", directId, "--json");
            CliDriver.Result cancelledRemote = remote(sourceDaemon, "snapshot", "cancel", remoteId, "--json");
            assertThat(cancelledDirect.exitCode()).as(cancelledDirect.output()).isZero();
            assertAlike(cancelledDirect, cancelledRemote);
            assertThat(status(remoteId)).isEqualTo("cancelled");
        } finally {
            releaseWorker();
        }
        // Finished runs: progress, a second cancel (a notice), list.
        assertAlike(direct(SOURCE, "snapshot", "cancel", directId), remote(sourceDaemon, "snapshot", "cancel", remoteId));
        assertAlike(direct(SOURCE, "snapshot", "progress", directId, "--json"),
                remote(sourceDaemon, "snapshot", "progress", remoteId, "--json"));
        assertThat(remote(sourceDaemon, "snapshot", "list")).isEqualTo(direct(SOURCE, "snapshot", "list"));
    }

    @Test
    void detachThroughTheDaemonReturnsTheIdAndTheRunCompletes() {
        List<String> ids = detachedAlike("detached");
        String directId = ids.get(0);
        String remoteId = ids.get(1);
        for (String id : ids) {
            assertThat(finalStatus(id)).as(id).isEqualTo("complete");
        }
        assertThat(root.resolve("remote-detached").resolve("manifest.json")).isRegularFile();
        assertAlike(direct(SOURCE, "snapshot", "progress", directId), remote(sourceDaemon, "snapshot", "progress", remoteId));
        assertAlike(direct(SOURCE, "snapshot", "progress", directId, "--json"),
                remote(sourceDaemon, "snapshot", "progress", remoteId, "--json"));
    }

    @Test
    void aRoleWithoutFilePrivilegesIsRefusedAlike() {
        // The daemon's role is plain: it may neither write nor read server files.
        long runsBefore = cluster.queryLong("SELECT count(*) FROM steep_repl.snapshots");
        for (String[] args : List.of(
                new String[] {"snapshot", "generate", "node-a", "--output", root.resolve("plain").toString()},
                new String[] {"snapshot", "apply", "node-b", "--input", root.resolve("plain").toString(), "--json"})) {
            CliDriver.Result direct = directAs("plain", SOURCE, args);
            assertThat(direct.exitCode()).as(direct.output()).isNotZero();
            assertThat(direct.output()).contains("permission denied to");
            assertAlike(direct, remote(plainDaemon, args));
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.snapshots")).isEqualTo(runsBefore);
    }

    /** Starts a generate into {@code direct-NAME} and one into {@code remote-NAME} with --detach; their ids. */
    private List<String> detachedAlike(String name) {
        CliDriver.Result direct = direct(SOURCE, "snapshot", "generate", "node-a", "--output",
                root.resolve("direct-" + name).toString(), "--detach");
        CliDriver.Result remote = remote(sourceDaemon, "snapshot", "generate", "node-a", "--output",
                root.resolve("remote-" + name).toString(), "--detach");
        assertThat(direct.exitCode()).as(direct.output()).isZero();
        assertAlike(direct, remote);
        assertThat(remote.stdout().trim()).matches("snap_\\d{8}_\\d{6}_[0-9a-f]{8}");
        return List.of(direct.stdout().trim(), remote.stdout().trim());
    }

    /** Ends the job that keeps the worker busy. */
    private static void releaseWorker() {
        cluster.exec("UPDATE steep_repl.work_queue SET cancel_requested = true "
                + "WHERE kind = 'test.sleep' AND status IN ('pending', 'running')");
    }

    /** Waits for the run to end; its status then. */
    private static String finalStatus(String snapshotId) {
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> Set.of("complete", "failed", "cancelled")
                .contains(status(snapshotId)), "snapshot " + snapshotId + " to end");
        return status(snapshotId);
    }

    private static String status(String snapshotId) {
        return cluster.queryString("SELECT status FROM steep_repl.snapshots WHERE snapshot_id = '" + snapshotId + "'");
    }

    @Test
    void refusalsAlike() {
        String output = root.resolve("refused").toString();
        List<String[]> refused = List.of(
                new String[] {"snapshot", "generate", "node-a", "--output", output, "--compression", "zstd:99"},
                new String[] {"snapshot", "generate", "node-a", "--output", output, "--compression", "brotli", "--json"},
                new String[] {"snapshot", "generate", "node-a", "--output", output, "--checksum", "md5"},
                new String[] {"snapshot", "generate", "node-a", "--output", "relative/dir"},
                new String[] {"snapshot", "generate", "node-a", "--output", output, "--parallel", "0"},
                new String[] {"snapshot", "generate", "bad id!", "--output", output},
                new String[] {"snapshot", "apply", "node-b", "--input", "/a/../b"},
                new String[] {"snapshot", "apply", "node-b", "--input", output, "--parallel", "65"},
                new String[] {"snapshot", "progress", UNKNOWN_ID},
                new String[] {"snapshot", "cancel", UNKNOWN_ID},
                new String[] {"snapshot", "cancel", UNKNOWN_ID, "--json"},
                new String[] {"snapshot", "list", "--limit", "0"});
        long runsBefore = cluster.queryLong("SELECT count(*) FROM steep_repl.snapshots");
        for (String[] args : refused) {
            CliDriver.Result direct = direct(SOURCE, args);
            CliDriver.Result remote = remote(sourceDaemon, args);
            assertThat(direct.exitCode()).as(String.join(" ", args) + ": " + direct.output()).isNotZero();
            assertAlike(direct, remote);
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.snapshots")).isEqualTo(runsBefore);
        assertThat(root.resolve("refused")).doesNotExist();
    }

    @Test
    void aRunThatFailsFailsAlike() {
        CliDriver.Result direct = direct(DIRECT_TARGET, "snapshot", "apply", "node-b", "--input",
                root.resolve("direct-failed").toString());
        CliDriver.Result remote = remote(targetDaemon, "snapshot", "apply", "node-b", "--input",
                root.resolve("remote-failed").toString());
        assertThat(direct.exitCode()).as(direct.output()).isEqualTo(1);
        assertThat(direct.stderr()).contains("failed");
        assertAlike(direct, remote);
    }

    @Test
    void aClientThatLeavesTheStreamLeavesTheRunGoing() throws Exception {
        Path dir = root.resolve("left");
        ManagedChannel channel = ManagedChannelBuilder.forTarget(sourceDaemon.address()).usePlaintext().build();
        String snapshotId;
        try {
            cluster.exec(BLOCKER);
            Context.CancellableContext call = Context.current().withCancellation();
            Context previous = call.attach();
            Iterator<RunEvent> events;
            try {
                events = SnapshotServiceGrpc.newBlockingStub(channel).generate(GenerateSnapshotRequest.newBuilder()
                        .setNodeId("node-a").setOutput(dir.toString()).setCompression("none").setParallel(1).build());
                RunEvent started = events.next();
                assertThat(started.getEventCase()).isEqualTo(RunEvent.EventCase.STARTED);
                snapshotId = JSON.readTree(started.getStarted()).path("snapshot_id").asText();
                assertThat(events.next().getEventCase()).isEqualTo(RunEvent.EventCase.PROGRESS);
            } finally {
                call.detach(previous);
            }
            call.cancel(null);
            Iterator<RunEvent> gone = events;
            assertThatThrownBy(() -> {
                while (gone.hasNext()) {
                    gone.next();
                }
            }).isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(Status.Code.CANCELLED));
            // The worker is still busy with the job ahead: the run waits, it was not cancelled.
            assertThat(status(snapshotId)).isEqualTo("pending");
        } finally {
            releaseWorker();
            channel.shutdownNow();
        }
        assertThat(finalStatus(snapshotId)).isEqualTo("complete");
        assertThat(dir.resolve("manifest.json")).isRegularFile();
        CliDriver.Result verified = cli.run("snapshot", "verify", dir.toString());
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    @Test
    void verifyThroughTheDaemonNeedsARoleThatMayReadSnapshotFiles() throws IOException {
        Path dir = root.resolve("damaged");
        CliDriver.Result copy = direct(SOURCE, "snapshot", "generate", "node-a", "--output", dir.toString());
        assertThat(copy.exitCode()).as(copy.output()).isZero();
        Files.writeString(dir.resolve("schema/post-data.sql"), "-- changed\n");
        // A client of a daemon whose role lacks pg_read_server_files learns nothing of the files:
        // the refusal comes before any of them is read.
        for (String path : List.of(dir.toString(), "/etc", root.resolve("no-such").toString())) {
            CliDriver.Result refused = remote(plainDaemon, "snapshot", "verify", path);
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            assertThat(refused.stdout()).isEmpty();
            assertThat(refused.stderr()).contains("permission denied to read snapshot files in \"" + path + "\"")
                    .contains("pg_read_server_files").doesNotContain("manifest");
        }
        // The daemon checks paths as the SQL functions do; this machine's user may name any.
        CliDriver.Result relative = remote(sourceDaemon, "snapshot", "verify", "relative/dir");
        assertThat(relative.exitCode()).as(relative.output()).isNotZero();
        assertThat(relative.stderr()).contains("is not absolute");
        // A damaged snapshot reads damaged in both places.
        CliDriver.Result here = cli.run("snapshot", "verify", dir.toString());
        assertThat(here.exitCode()).isEqualTo(1);
        assertThat(here.stdout()).contains("schema/post-data.sql");
        assertAlike(here, remote(sourceDaemon, "snapshot", "verify", dir.toString()));
    }
}
