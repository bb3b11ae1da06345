package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.generate;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When no background worker slot is free for a snapshot holder, generate still runs, under a
 * snapshot of its own coordinator, and says that a retry would start over.
 */
class GenerateWithoutHolderIT {
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        // The supervisor and the logical replication launcher take both slots.
        cluster = WorkerClusters.start("gen-noholder", "max_worker_processes", "2");
        cluster.exec("CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                "INSERT INTO public.items SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void generateRunsWithItsOwnSnapshotAndSaysARetryWouldStartOver() throws Exception {
        Path dir = GenerateSupport.snapshotRoot(cluster).resolve("unheld");

        generate(cluster, "postgres", params(newSnapshotId(), dir, "none", 2));

        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.tables()).singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(5000));
        assertThat(SnapshotVerifier.verify(dir).problems()).isEmpty();
        PgCluster.waitFor(Duration.ofSeconds(5), () -> cluster.log().contains("the snapshot is not held"),
                "the warning in the server log");
        assertThat(cluster.log()).contains("a retry after a failure starts over");
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.held_snapshots()")).isZero();
    }
}
