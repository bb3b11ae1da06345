package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.awaitCopying;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.awaitFinal;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.column;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.status;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * keep_slot: the kept logical slot starts exactly at the snapshot, so the copy plus the slot's
 * stream hold every row once; a run that does not complete leaves no slot; and a slot is only
 * created for a role with REPLICATION, on a server with wal_level = logical, under a free name.
 */
class KeepSlotIT {
    /** Slow on purpose (high zstd level), so that the run is still copying while rows are written or it is cancelled. */
    private static final String SLOW = "zstd:19";
    private static final int INITIAL_LATER_ROWS = 10;
    private static PgCluster cluster;
    private static Path root;

    @BeforeAll
    static void start() {
        cluster = GenerateSupport.startCluster("keep-slot");
        root = GenerateSupport.snapshotRoot(cluster);
        cluster.exec("CREATE TABLE public.bulk (id int, payload text)",
                "INSERT INTO public.bulk SELECT g, md5(g::text) || md5((g * 7)::text) || g "
                        + "FROM generate_series(1, 300000) g",
                "CREATE TABLE public.later (id int PRIMARY KEY, note text)",
                "INSERT INTO public.later SELECT g, 'before' FROM generate_series(1, " + INITIAL_LATER_ROWS + ") g",
                "CREATE PUBLICATION pub FOR TABLE public.bulk, public.later",
                "CREATE ROLE plain LOGIN IN ROLE pg_write_server_files",
                "CREATE TABLE public.secret (id int)",
                "CREATE ROLE replicator LOGIN REPLICATION IN ROLE pg_write_server_files",
                "GRANT SELECT ON public.bulk, public.later TO replicator");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theKeptSlotStreamsExactlyTheRowsTheCopyLacks() throws Exception {
        Path dir = root.resolve("kept");
        ObjectNode params = keepSlot(params(newSnapshotId(), dir, SLOW, 2), "kept_slot");
        long job = submit(cluster, "postgres", params, 1);
        awaitCopying(cluster, job);
        // Committed after the snapshot (the run is copying), most likely while the run still goes on.
        cluster.exec("INSERT INTO public.later SELECT g, 'after' FROM generate_series(101, 125) g");

        assertThat(awaitFinal(cluster, job)).as(column(cluster, job, "error_message")).isEqualTo("complete");
        JsonNode result = GenerateSupport.JSON.readTree(column(cluster, job, "result"));
        assertThat(result.path("slot_name").asText()).isEqualTo("kept_slot");

        List<List<String>> slot = cluster.query("postgres", "SELECT slot_type, plugin, database, "
                + "confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'kept_slot'");
        assertThat(slot).singleElement().satisfies(row -> assertThat(row.subList(0, 3))
                .containsExactly("logical", "pgoutput", "postgres"));
        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.consistency().slot()).isEqualTo(new Manifest.Slot("kept_slot", "pgoutput"));
        assertThat(manifest.consistency().lsn()).isEqualTo(slot.get(0).get(3)).isEqualTo(result.path("lsn").asText());
        assertThat(cluster.queryString("SELECT slot_name FROM steep_repl.snapshots WHERE snapshot_id = '"
                + params.path("snapshot_id").asText() + "'")).isEqualTo("kept_slot");

        Manifest.TableEntry later = manifest.tables().stream().filter(t -> t.name().equals("later")).findFirst()
                .orElseThrow();
        assertThat(GenerateSupport.tableLines(cluster, dir, manifest, later)).hasSize(INITIAL_LATER_ROWS)
                .allSatisfy(line -> assertThat(line).endsWith("\tbefore"));
        // pgoutput's insert messages start with 'I': the stream holds the 25 later rows and nothing older.
        assertThat(cluster.queryLong("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('kept_slot', NULL, "
                + "NULL, 'proto_version', '1', 'publication_names', 'pub') WHERE get_byte(data, 0) = 73"))
                .isEqualTo(25);
        cluster.exec("SELECT pg_drop_replication_slot('kept_slot')");
    }

    @Test
    void aCancelledRunDropsTheSlotItCreated() {
        Path dir = root.resolve("cancelled");
        long job = submit(cluster, "postgres", keepSlot(params(newSnapshotId(), dir, SLOW, 2), "cancelled_slot"), 1);
        awaitCopying(cluster, job);
        assertThat(status(cluster, job)).isEqualTo("running");
        assertThat(slotCount("cancelled_slot")).isEqualTo(1);

        cluster.exec("SELECT steep_repl.cancel_job(" + job + ")");

        PgCluster.waitFor(Duration.ofSeconds(10), () -> "cancelled".equals(status(cluster, job)),
                "job " + job + " to be cancelled");
        assertThat(slotCount("cancelled_slot")).isZero();
        assertThat(dir.resolve("manifest.json")).doesNotExist();
    }

    @Test
    void aFailedRunDropsTheSlotItCreatedAndSaysSo() {
        Path dir = root.resolve("failed");
        // replicator may not read public.secret: the run fails after the slot exists.
        long job = submit(cluster, "replicator", keepSlot(params(newSnapshotId(), dir, "none", 1), "failed_slot"), 1);

        assertThat(awaitFinal(cluster, job)).isEqualTo("failed");
        assertThat(column(cluster, job, "error_message"))
                .contains("permission denied", "the replication slot \"failed_slot\" it created was dropped");
        assertThat(slotCount("failed_slot")).isZero();
        assertThat(dir.resolve("manifest.json")).doesNotExist();
    }

    @Test
    void aRetryAfterTheWorkerWasKilledResumesWithTheSameSlotAndSnapshot() throws Exception {
        Path dir = root.resolve("killed");
        ObjectNode params = params(newSnapshotId(), dir, SLOW, 2);
        ((ObjectNode) params.get("options")).put("keep_slot", true);
        String slot = "steep_" + params.path("snapshot_id").asText();
        long worker = GenerateSupport.awaitWorker(cluster);
        long job = submit(cluster, "postgres", params, 2);
        awaitCopying(cluster, job);
        assertThat(slotCount(slot)).isEqualTo(1);
        String held = cluster.queryString("SELECT snapshot_name FROM steep_repl.held_snapshots() WHERE job_id = "
                + job + " AND state = 'holding'");
        String consistentPoint = cluster.queryString(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        // After the snapshot: in the slot's stream, in neither attempt's copy.
        cluster.exec("INSERT INTO public.later SELECT g, 'after the kill' FROM generate_series(201, 210) g");

        Processes.kill(worker, "KILL");

        assertThat(awaitFinal(cluster, job)).as(column(cluster, job, "error_message")).isEqualTo("complete");
        assertThat(column(cluster, job, "attempts")).isEqualTo("2");
        assertThat(slotCount(slot)).isEqualTo(1);
        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.consistency().exportedSnapshot()).isEqualTo(held);
        assertThat(manifest.consistency().lsn()).isEqualTo(consistentPoint).isEqualTo(cluster.queryString(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
        Manifest.TableEntry later = manifest.tables().stream().filter(t -> t.name().equals("later")).findFirst()
                .orElseThrow();
        assertThat(GenerateSupport.tableLines(cluster, dir, manifest, later)).noneMatch(line -> line.endsWith("after the kill"));
        assertThat(cluster.queryLong("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('" + slot + "', NULL, "
                + "NULL, 'proto_version', '1', 'publication_names', 'pub') WHERE get_byte(data, 0) = 73"))
                .isEqualTo(10);
        assertThat(cluster.log()).contains("resuming with replication slot \"" + slot + "\"")
                .doesNotContain("dropped replication slot \"" + slot + "\"");
        cluster.exec("SELECT pg_drop_replication_slot('" + slot + "')");
    }

    @Test
    void aRoleWithoutReplicationIsRefusedWhenItSubmits() {
        Path dir = root.resolve("plain");

        assertThatThrownBy(() -> submit(cluster, "plain", keepSlot(params(newSnapshotId(), dir, "none", 1), null), 1))
                .hasMessageContaining("cannot keep a replication slot");
        assertThat(slotCount(null)).isZero();
    }

    @Test
    void theWorkerChecksReplicationAgainWhenTheRunStarts() {
        Path dir = root.resolve("revoked");
        // Both job slots busy, so the submitted job waits while the attribute is taken away.
        long first = submit(cluster, "postgres", params(newSnapshotId(), root.resolve("busy1"), SLOW, 1), 1);
        long second = submit(cluster, "postgres", params(newSnapshotId(), root.resolve("busy2"), SLOW, 1), 1);
        awaitCopying(cluster, first);
        awaitCopying(cluster, second);
        long job = submit(cluster, "replicator", keepSlot(params(newSnapshotId(), dir, "none", 1), "revoked_slot"), 1);
        try {
            assertThat(status(cluster, job)).isEqualTo("pending");
            cluster.exec("ALTER ROLE replicator NOREPLICATION");
        } finally {
            cluster.exec("SELECT steep_repl.cancel_job(" + first + ")", "SELECT steep_repl.cancel_job(" + second + ")");
        }

        assertThat(awaitFinal(cluster, job)).isEqualTo("failed");
        assertThat(column(cluster, job, "error_message"))
                .contains("role \"replicator\" cannot keep a replication slot", "ALTER ROLE \"replicator\" REPLICATION");
        assertThat(slotCount("revoked_slot")).isZero();
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        cluster.exec("ALTER ROLE replicator REPLICATION");
    }

    @Test
    void aTakenSlotNameIsRefusedAndTheSlotLeftAlone() {
        cluster.exec("SELECT pg_create_logical_replication_slot('taken_slot', 'pgoutput')");
        String before = takenSlotState();
        Path dir = root.resolve("taken");
        try {
            long job = submit(cluster, "postgres", keepSlot(params(newSnapshotId(), dir, "none", 1), "taken_slot"), 1);

            assertThat(awaitFinal(cluster, job)).isEqualTo("failed");
            assertThat(column(cluster, job, "error_message")).contains("replication slot \"taken_slot\" already exists");
            assertThat(takenSlotState()).isEqualTo(before);
            assertThat(dir.resolve("manifest.json")).doesNotExist();
        } finally {
            cluster.exec("SELECT pg_drop_replication_slot('taken_slot')");
        }
    }

    @Test
    void aServerWithoutLogicalWalIsRefusedWithTheSettingNamed() {
        try (PgCluster replica = PgCluster.builder().name("keep-slot-replica").setting("wal_level", "replica")
                .setting("steep_repl.max_concurrent_jobs", "1").start()) {
            replica.createExtension("postgres");
            GenerateSupport.awaitWorker(replica);
            Path dir = GenerateSupport.snapshotRoot(replica).resolve("no-logical");

            long job = submit(replica, "postgres", keepSlot(params(newSnapshotId(), dir, "none", 1), null), 1);

            assertThat(awaitFinal(replica, job)).isEqualTo("failed");
            assertThat(column(replica, job, "error_message")).contains("wal_level = logical", "wal_level = replica");
            assertThat(replica.queryLong("SELECT count(*) FROM pg_replication_slots")).isZero();
            assertThat(dir.resolve("manifest.json")).doesNotExist();
        }
    }

    private static ObjectNode keepSlot(ObjectNode params, String slotName) {
        ObjectNode options = params.putObject("options");
        options.put("keep_slot", true);
        if (slotName != null) {
            options.put("slot_name", slotName);
        }
        return params;
    }

    /** Slots of that name, or with a name derived from a snapshot id when null. */
    private static long slotCount(String name) {
        return cluster.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name "
                + (name == null ? "LIKE 'steep\\_snap\\_%'" : "= '" + name + "'"));
    }

    private static String takenSlotState() {
        return cluster.queryString("SELECT plugin || ' ' || restart_lsn || ' ' || confirmed_flush_lsn || ' ' || active "
                + "FROM pg_replication_slots WHERE slot_name = 'taken_slot'");
    }
}
