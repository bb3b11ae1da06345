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
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run that is cancelled or whose worker dies never leaves a manifest behind. */
class GenerateInterruptionIT {
    /** Slow on purpose (high zstd level), so that the run is still copying when it is interrupted. */
    private static final String SLOW = "zstd:19";
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
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        assertThat(tmpFiles(dir)).isZero();
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

    private static long tmpFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }
}
