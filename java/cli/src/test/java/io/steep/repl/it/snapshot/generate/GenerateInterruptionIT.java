package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.awaitCopying;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.awaitFinal;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.column;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.status;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run that is cancelled or whose worker dies never leaves a manifest behind; a retry after
 * the worker died goes on under the same (held) snapshot and keeps the parts already finished.
 */
class GenerateInterruptionIT {
    /** Slow on purpose (high zstd level), so that the run is still copying when it is interrupted. */
    private static final String SLOW = "zstd:19";
    private static final ObjectMapper LEDGER_JSON = new ObjectMapper();
    private static PgCluster cluster;
    private static Path root;

    @BeforeAll
    static void start() {
        cluster = GenerateSupport.startCluster("gen-interrupt");
        root = GenerateSupport.snapshotRoot(cluster);
        cluster.exec("CREATE TABLE public.bulk (id int, payload text)",
                "INSERT INTO public.bulk SELECT g, md5(g::text) || md5((g * 7)::text) || g "
                        + "FROM generate_series(1, 400000) g");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void cancelStopsTheRunWithinSecondsAndLeavesNoManifest() throws Exception {
        Path dir = root.resolve("cancelled");
        long job = submit(cluster, "postgres", params(newSnapshotId(), dir, SLOW, 2), 1);
        awaitCopying(cluster, job);
        assertThat(status(cluster, job)).isEqualTo("running");

        cluster.exec("SELECT steep_repl.cancel_job(" + job + ")");

        PgCluster.waitFor(Duration.ofSeconds(10), () -> "cancelled".equals(status(cluster, job)),
                "job " + job + " to be cancelled");
        // Nothing continues a cancelled run: it removed what it wrote, its directory included.
        assertThat(dir).doesNotExist();

        GenerateSupport.generate(cluster, "postgres", params(newSnapshotId(), dir, "none", 2));
        assertThat(new SnapshotVerifier(true, null).check(dir).problems()).isEmpty();
    }

    @Test
    void aTamperedLedgerIsForeignAndItsPayloadNeverRuns() throws Exception {
        cluster.exec("CREATE TABLE public.tampered (id int, payload text)",
                "INSERT INTO public.tampered SELECT g, md5(g::text) || md5((g * 7)::text) || g "
                        + "FROM generate_series(1, 150000) g");
        Path pwned = root.resolve("pwned");
        try {
            Path dir = root.resolve("tampered");
            String snapshotId = newSnapshotId();
            ObjectNode params = params(snapshotId, dir, SLOW, 1);
            params.withObjectProperty("options").put("split_threshold_mb", 1).putArray("include_tables")
                    .add("public.tampered");
            long worker = GenerateSupport.awaitWorker(cluster);
            long job = submit(cluster, "postgres", params, 2);
            awaitCopying(cluster, job);
            PgCluster.waitFor(Duration.ofSeconds(60), () -> finishedParts(dir).size() >= 1, "a finished part");
            Processes.kill(worker, "KILL");

            // Between the attempts, every range of the ledger gets a start that would write a server
            // file if it were put into the COPY statement as text (the run is a superuser's), so
            // whichever part the retry copies would carry it.
            Path ledger = dir.resolve(".steep_repl_run.parts");
            java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(ledger));
            ObjectNode header = (ObjectNode) GenerateSupport.JSON.readTree(lines.get(0));
            header.get("tables").get(0).get("parts").forEach(part -> ((ObjectNode) part).put("ctid_from",
                    "(0,0)'::pg_catalog.tid) TO '" + pwned + "' --"));
            lines.set(0, header.toString());
            Files.write(ledger, lines);

            String status = awaitFinal(cluster, job);
            assertThat(pwned).doesNotExist();
            assertThat(status).as(column(cluster, job, "error_message")).isEqualTo("complete");
            assertThat(column(cluster, job, "attempts")).isEqualTo("2");
            // The retry started over: nothing of the foreign ledger was reused.
            assertThat(cluster.log()).doesNotContain("resuming " + snapshotId);
            Manifest manifest = ManifestReader.read(dir);
            assertThat(manifest.tables()).singleElement().satisfies(t -> {
                assertThat(t.rows()).isEqualTo(150000);
                assertThat(t.parts()).extracting(Manifest.PartEntry::ctidTo).filteredOn(java.util.Objects::nonNull)
                        .allMatch(ctid -> ctid.matches("\\([0-9]+,[0-9]+\\)"));
            });
            assertThat(new SnapshotVerifier(true, null).check(dir).problems()).isEmpty();
        } finally {
            cluster.exec("DROP TABLE public.tampered");
        }
    }

    @Test
    void killingTheWorkerMidRunLeavesNoManifestAndTheRetryCompletes() throws Exception {
        Path dir = root.resolve("killed");
        long worker = GenerateSupport.awaitWorker(cluster);
        long job = submit(cluster, "postgres", params(newSnapshotId(), dir, SLOW, 1), 2);
        awaitCopying(cluster, job);

        Processes.kill(worker, "KILL");

        PgCluster.waitFor(Duration.ofSeconds(30), () -> !"running".equals(status(cluster, job))
                || !column(cluster, job, "attempts").equals("1"), "job " + job + " to be failed or requeued");
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        assertThat(awaitFinal(cluster, job)).isEqualTo("complete");
        assertThat(column(cluster, job, "attempts")).isEqualTo("2");
        assertThat(column(cluster, job, "error_message")).contains("java worker");
        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.tables()).singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(400000));
        assertThat(new SnapshotVerifier(true, null).check(dir).problems()).isEmpty();
        assertThat(dir.resolve(".steep_repl_run")).doesNotExist();
    }

    @Test
    void aRunKilledOnItsLastAttemptLeavesFilesThatTheSubmittersNextRunIntoThePathRemoves() throws Exception {
        Path dir = root.resolve("abandoned");
        long worker = GenerateSupport.awaitWorker(cluster);
        long job = submit(cluster, "postgres", params(newSnapshotId(), dir, SLOW, 1), 1);
        awaitCopying(cluster, job);

        Processes.kill(worker, "KILL");

        assertThat(awaitFinal(cluster, job)).isEqualTo("failed");
        assertThat(dir.resolve(".steep_repl_run")).exists();
        // The run is over for good and belongs to the submitter: its next run may use the path.
        long next = submit(cluster, "postgres", params(newSnapshotId(), dir, "none", 2), 1);
        assertThat(awaitFinal(cluster, next)).as(column(cluster, next, "error_message")).isEqualTo("complete");
        assertThat(ManifestReader.read(dir).tables()).anySatisfy(t -> {
            assertThat(t.tableName().name()).isEqualTo("bulk");
            assertThat(t.rows()).isEqualTo(400000);
        });
        assertThat(new SnapshotVerifier(true, null).check(dir).problems()).isEmpty();
    }

    @Test
    void aRetryAfterTheWorkerDiedReusesFinishedPartsUnderTheSameSnapshot() throws Exception {
        cluster.exec("CREATE TABLE public.resumed (id int, payload text)",
                "INSERT INTO public.resumed SELECT g, md5(g::text) || md5((g * 7)::text) || g "
                        + "FROM generate_series(1, 150000) g");
        try {
            resumesUnderTheSameSnapshot(root.resolve("resumed"));
        } finally {
            // the other tests snapshot the whole database
            cluster.exec("DROP TABLE public.resumed");
        }
    }

    private void resumesUnderTheSameSnapshot(Path dir) throws Exception {
        ObjectNode params = params(newSnapshotId(), dir, SLOW, 1);
        params.withObjectProperty("options").put("split_threshold_mb", 1).putArray("include_tables")
                .add("public.resumed");
        long worker = GenerateSupport.awaitWorker(cluster);
        long job = submit(cluster, "postgres", params, 2);
        awaitCopying(cluster, job);
        String held = cluster.queryString("SELECT snapshot_name FROM steep_repl.held_snapshots() WHERE job_id = "
                + job + " AND state = 'holding'");
        assertThat(held).isNotBlank();
        // Committed after the snapshot: neither this attempt nor the retry may copy them.
        cluster.exec("INSERT INTO public.resumed SELECT g, 'late' FROM generate_series(150001, 160000) g");
        PgCluster.waitFor(Duration.ofSeconds(60), () -> finishedParts(dir).size() >= 2, "two finished parts");
        Map<Path, FileTime> finished = finishedParts(dir);

        Processes.kill(worker, "KILL");

        assertThat(awaitFinal(cluster, job)).isEqualTo("complete");
        assertThat(column(cluster, job, "attempts")).isEqualTo("2");
        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.consistency().exportedSnapshot()).isEqualTo(held);
        assertThat(manifest.tables()).singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(150000));
        // The parts finished before the kill were kept as they were, not copied again.
        finished.forEach((file, modified) -> assertThat(lastModified(file)).as(file.toString()).isEqualTo(modified));
        assertThat(new SnapshotVerifier(true, null).check(dir).problems()).isEmpty();
        assertThat(cluster.log()).contains(finished.size() + " finished parts reused");
        assertThat(dir.resolve(".steep_repl_run.parts")).doesNotExist();
        PgCluster.waitFor(Duration.ofSeconds(10), () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.held_snapshots() WHERE job_id = " + job) == 0,
                "the holder to be released");
    }

    @Test
    void aFinishedSnapshotIsNeverOverwritten() throws Exception {
        Path dir = root.resolve("finished");
        JsonNode params = params(newSnapshotId(), dir, "lz4", 2);
        GenerateSupport.generate(cluster, "postgres", params);
        byte[] manifest = Files.readAllBytes(dir.resolve("manifest.json"));

        long again = submit(cluster, "postgres", params(newSnapshotId(), dir, "lz4", 2), 1);

        assertThat(awaitFinal(cluster, again)).isEqualTo("failed");
        assertThat(column(cluster, again, "error_message")).contains("is not empty");
        assertThat(Files.readAllBytes(dir.resolve("manifest.json"))).isEqualTo(manifest);
    }

    /** The data files in place under their final names, with their modification times. */
    /**
     * The parts the run's ledger records as finished. A file is renamed into place before its
     * line is written, so a part whose file is there but whose line is not yet is not finished:
     * a kill in between copies it again, as it should.
     */
    private static Map<Path, FileTime> finishedParts(Path dir) {
        Map<Path, FileTime> parts = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(".steep_repl_run.parts"));
        } catch (IOException e) {
            return parts;
        }
        for (String line : lines) {
            try {
                JsonNode file = LEDGER_JSON.readTree(line).path("entry").path("file");
                if (file.isTextual()) {
                    Path part = dir.resolve(file.asText());
                    parts.put(part, lastModified(part));
                }
            } catch (IOException cutShort) {
                // the line being written
            }
        }
        return parts;
    }


    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
