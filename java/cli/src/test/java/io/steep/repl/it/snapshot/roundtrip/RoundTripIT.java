package io.steep.repl.it.snapshot.roundtrip;

import static io.steep.repl.it.snapshot.apply.ApplySupport.awaitFinal;
import static io.steep.repl.it.snapshot.apply.ApplySupport.digests;
import static io.steep.repl.it.snapshot.apply.ApplySupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A snapshot taken by the snapshot.generate job on one cluster and loaded by snapshot.apply on
 * another: every table equal row for row (ordered content digest), every sequence equal, the
 * same indexes, constraints and triggers, for every compression.
 */
class RoundTripIT {
    private static PgCluster source;
    private static PgCluster target;
    private static Path root;
    private static Map<String, String> sourceDigests;

    @BeforeAll
    static void start() throws Exception {
        source = ApplySupport.startCluster("rt-src");
        target = ApplySupport.startCluster("rt-dst");
        // app.big is big enough to be split at a 1 MB threshold.
        source.exec(ApplySupport.awkwardSource("CREATE TABLE app.big (id bigint, pad text)",
                "INSERT INTO app.big SELECT g, md5(g::text) FROM generate_series(1, 60000) g", "ANALYZE"));
        sourceDigests = digests(source, "postgres");
        root = source.serverDirectory("snapshots");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(target, source);
    }

    @BeforeEach
    void emptyTarget() {
        ApplySupport.emptyAwkwardTarget(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd:3"})
    void aGeneratedSnapshotAppliesToAnExactCopy(String compression) throws Exception {
        Path dir = root.resolve("rt-" + compression.replace(':', '-'));
        long generate = submitGenerate(dir, compression);
        assertThat(awaitFinal(source, generate)).as(job(source, generate, "error_message")).isEqualTo("complete");

        long apply = ApplySupport.submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);

        assertThat(awaitFinal(target, apply)).as(job(target, apply, "error_message")).isEqualTo("complete");
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(ApplySupport.sequences(target, "postgres")).isEqualTo(ApplySupport.sequences(source, "postgres"));
        assertThat(ApplySupport.postDataObjects(target, "postgres"))
                .isEqualTo(ApplySupport.postDataObjects(source, "postgres"));
        assertThat(job(target, apply, "result->>'manifest_sha256'"))
                .isEqualTo(job(source, generate, "result->>'manifest_sha256'"));
    }

    private static long submitGenerate(Path dir, String compression) throws Exception {
        CompressionSpec spec = CompressionSpec.parse(compression);
        String params = "{\"snapshot_id\": \"" + ApplySupport.newRunId() + "\", \"path\": \"" + dir
                + "\", \"compression\": {\"method\": \"" + spec.method().id() + "\", \"level\": "
                + spec.level() + "}, \"parallel\": 2, \"options\": {\"split_threshold_mb\": 1}}";
        try (Connection c = source.connect();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM steep_repl.submit_job('snapshot.generate', "
                        + "?::jsonb)")) {
            ps.setString(1, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
