package io.steep.repl.it.snapshot.apply;

import static io.steep.repl.it.snapshot.apply.ApplySupport.awaitFinal;
import static io.steep.repl.it.snapshot.apply.ApplySupport.digests;
import static io.steep.repl.it.snapshot.apply.ApplySupport.job;
import static io.steep.repl.it.snapshot.apply.ApplySupport.submitApply;
import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** snapshot.apply against real clusters, from snapshots written in the documented format. */
class ApplyIT {
    private static PgCluster source;
    private static PgCluster target;
    private static Path work;
    private static Map<String, String> sourceDigests;

    @BeforeAll
    static void start() throws Exception {
        source = PgCluster.builder().name("apply-src").start();
        target = ApplySupport.startCluster("apply-dst");
        source.exec(ApplySupport.AWKWARD_SCHEMA.toArray(String[]::new));
        source.exec(ApplySupport.AWKWARD_DATA.toArray(String[]::new));
        source.exec("ANALYZE");
        sourceDigests = digests(source, "postgres");
        work = source.serverDirectory("snapshots");
    }

    /** Every user table's rows, counted (the statistics' n_live_tup lags behind on a busy machine). */
    private static final String EXACT_ROWS = "SELECT sum((xpath('/row/c/text()', query_to_xml(format("
            + "'SELECT count(*) AS c FROM ONLY %I.%I', schemaname, relname), false, true, '')))[1]::text::bigint)::text "
            + "FROM pg_stat_user_tables WHERE schemaname <> 'steep_repl'";

    @AfterAll
    static void stop() {
        PgCluster.closeAll(target, source);
    }

    @BeforeEach
    void emptyTarget() {
        target.exec("DROP TABLE IF EXISTS public.refs, public.unrelated",
                "DROP SCHEMA IF EXISTS app, \"Mixed Ünïcode\" CASCADE",
                "DELETE FROM steep_repl.snapshot_loads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4:3", "zstd"})
    void buildsTheSchemaAndCopiesEveryRowExactly(String compression) throws Exception {
        Path dir = snapshot("full-" + compression.replace(':', '-'), CompressionSpec.parse(compression));

        long id = submitApply(target, PgCluster.SUPERUSER, dir, 3, true, false, 1);

        assertThat(awaitFinal(target, id)).as(job(target, id, "error_message")).isEqualTo("complete");
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(ApplySupport.sequences(target, "postgres")).isEqualTo(ApplySupport.sequences(source, "postgres"));
        assertThat(ApplySupport.postDataObjects(target, "postgres"))
                .isEqualTo(ApplySupport.postDataObjects(source, "postgres"));
        assertThat(job(target, id, "result->>'schema_built'")).isEqualTo("true");
        assertThat(job(target, id, "result->>'rows_total'"))
                .isEqualTo(source.queryString(EXACT_ROWS));
        assertThat(target.queryLong("SELECT count(*) FROM steep_repl.snapshot_loads")).isZero();
    }

    @Test
    void loadsIntoAnExistingEmptySchemaAndKeepsIt() throws Exception {
        Path dir = snapshot("existing", CompressionSpec.NONE);
        long first = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
        assertThat(awaitFinal(target, first)).isEqualTo("complete");
        target.exec("TRUNCATE app.orders, app.customers, app.types, app.events, \"Mixed Ünïcode\".\"Täble \"\"Quoted\"\"\"",
                "COMMENT ON TABLE app.orders IS 'kept'");

        long second = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);

        assertThat(awaitFinal(target, second)).as(job(target, second, "error_message")).isEqualTo("complete");
        assertThat(job(target, second, "result->>'schema_built'")).isEqualTo("false");
        assertThat(digests(target, "postgres")).isEqualTo(sourceDigests);
        assertThat(target.queryString("SELECT obj_description('app.orders'::regclass)")).isEqualTo("kept");
    }

    @Test
    void refusesANonEmptyTargetAndReplacesOnlyTheSnapshotsTables() throws Exception {
        Path dir = snapshot("replace", CompressionSpec.parse("zstd"));
        long first = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
        assertThat(awaitFinal(target, first)).isEqualTo("complete");
        target.exec("CREATE TABLE public.unrelated (v int)", "INSERT INTO public.unrelated VALUES (1), (2)",
                "DELETE FROM app.events WHERE id < 10", "INSERT INTO app.customers (name) VALUES ('extra')");

        long refused = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
        assertThat(awaitFinal(target, refused)).isEqualTo("failed");
        assertThat(job(target, refused, "error_message")).contains("already holds rows").contains("app.customers");

        long replaced = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, true, 1);
        assertThat(awaitFinal(target, replaced)).as(job(target, replaced, "error_message")).isEqualTo("complete");
        assertThat(digests(target, "postgres")).containsAllEntriesOf(sourceDigests)
                .containsEntry("public.unrelated", "2:" + target.queryString(
                        "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM public.unrelated t"));
    }

    @Test
    void replaceNeverCascadesToTablesOutsideTheSnapshot() throws Exception {
        Path dir = snapshot("cascade", CompressionSpec.NONE);
        long first = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
        assertThat(awaitFinal(target, first)).isEqualTo("complete");
        target.exec("CREATE TABLE public.refs (c bigint REFERENCES app.customers (id))",
                "INSERT INTO public.refs VALUES (1), (2)");

        long replaced = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, true, 1);

        assertThat(awaitFinal(target, replaced)).isEqualTo("failed");
        assertThat(job(target, replaced, "error_message")).contains("CASCADE").contains("public.refs");
        assertThat(target.queryLong("SELECT count(*) FROM public.refs")).isEqualTo(2);
        assertThat(digests(target, "postgres")).containsAllEntriesOf(sourceDigests);
    }

    @Test
    void refusesDamagedSnapshotsBeforeChangingAnything() throws Exception {
        Manifest manifest = manifestOf(snapshot("damaged-base", CompressionSpec.parse("gzip")));
        String dataFile = manifest.tables().stream().filter(t -> t.name().equals("orders")).findFirst().orElseThrow()
                .parts().get(0).file();

        Path flipped = snapshot("damaged-flip", CompressionSpec.parse("gzip"));
        byte[] bytes = Files.readAllBytes(flipped.resolve(dataFile));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(flipped.resolve(dataFile), bytes);
        Path truncated = snapshot("damaged-cut", CompressionSpec.parse("gzip"));
        try (var channel = Files.newByteChannel(truncated.resolve(dataFile), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        Path missing = snapshot("damaged-missing", CompressionSpec.parse("gzip"));
        Files.delete(missing.resolve(dataFile));
        Path future = snapshot("damaged-version", CompressionSpec.parse("gzip"));
        Path manifestFile = future.resolve("manifest.json");
        int newer = Manifest.FORMAT_VERSION + 1;
        Files.writeString(manifestFile, Files.readString(manifestFile).replace(
                "\"format_version\" : " + Manifest.FORMAT_VERSION, "\"format_version\" : " + newer));

        for (Path dir : List.of(flipped, truncated, missing, future)) {
            long id = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
            assertThat(awaitFinal(target, id)).isEqualTo("failed");
            String error = job(target, id, "error_message");
            assertThat(error).as(dir.toString()).containsAnyOf("checksum mismatch", "size mismatch", "missing file",
                    "format_version " + newer);
            assertThat(target.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
        }
    }

    @Test
    void refusesARoleWithoutInsertBeforeChangingAnything() throws Exception {
        Path dir = snapshot("noinsert", CompressionSpec.NONE);
        long first = submitApply(target, PgCluster.SUPERUSER, dir, 2, true, false, 1);
        assertThat(awaitFinal(target, first)).isEqualTo("complete");
        target.exec("TRUNCATE app.orders, app.customers, app.types, app.events, \"Mixed Ünïcode\".\"Täble \"\"Quoted\"\"\"",
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loader') THEN "
                        + "CREATE ROLE loader LOGIN IN ROLE pg_read_server_files; END IF; END$$",
                "GRANT USAGE ON SCHEMA app, \"Mixed Ünïcode\" TO loader",
                "GRANT SELECT ON ALL TABLES IN SCHEMA app, \"Mixed Ünïcode\" TO loader");

        long id = submitApply(target, "loader", dir, 2, true, false, 1);

        assertThat(awaitFinal(target, id)).isEqualTo("failed");
        assertThat(job(target, id, "error_message")).contains("permission denied").contains("may not load rows into");
        assertThat(target.queryLong("SELECT count(*) FROM app.customers")).isZero();
    }

    @Test
    void aNonSuperuserBuildsTheSchemaAsItselfAndNoMore() throws Exception {
        Path dir = snapshot("noscripts", CompressionSpec.NONE);
        target.exec("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'builder') THEN "
                + "CREATE ROLE builder LOGIN CREATEDB IN ROLE pg_read_server_files; END IF; END$$",
                "GRANT CREATE ON DATABASE postgres TO builder");

        long id = submitApply(target, "builder", dir, 2, true, false, 1);

        // The scripts run as builder, inside a security-restricted operation: handing the objects to
        // their owner on the source (postgres) is beyond it, so the build fails and keeps nothing.
        assertThat(awaitFinal(target, id)).isEqualTo("failed");
        assertThat(job(target, id, "error_message")).contains("building the schema from pre-data.sql failed")
                .contains("Nothing of the schema was kept");
        assertThat(target.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
        assertThat(target.queryString("SELECT rolsuper FROM pg_roles WHERE rolname = 'builder'")).isEqualTo("f");
    }

    private static Path snapshot(String name, CompressionSpec compression) throws Exception {
        Path dir = work.resolve(name);
        SnapshotFixture.write(source, "postgres", dir, compression, 10);
        return dir;
    }

    private static Manifest manifestOf(Path dir) {
        return io.steep.repl.snapshot.manifest.ManifestReader.read(dir);
    }
}
