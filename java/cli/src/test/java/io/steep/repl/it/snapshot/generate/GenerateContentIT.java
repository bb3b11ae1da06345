package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.generate;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.serverLines;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.tableLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import io.steep.repl.snapshot.verify.VerifyReport;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a snapshot holds: every table's rows exactly, its schema, sequences and a manifest that matches. */
class GenerateContentIT {
    private static final String MIXED_SCHEMA = "Mixed Case";
    private static final String UNICODE_TABLE = "Ünïcödé tåble \"quoted\"";
    private static PgCluster cluster;
    private static Path root;

    @BeforeAll
    static void start() {
        cluster = GenerateSupport.startCluster("gen-content");
        root = GenerateSupport.snapshotRoot(cluster);
        cluster.exec(
                "CREATE SCHEMA \"Mixed Case\"",
                "CREATE TABLE \"Mixed Case\".\"Ünïcödé tåble \"\"quoted\"\"\" (id int PRIMARY KEY, \"Value\" text)",
                "INSERT INTO \"Mixed Case\".\"Ünïcödé tåble \"\"quoted\"\"\" "
                        + "SELECT g, 'ü' || g || E'\\t\\n\\\\' FROM generate_series(1, 50) g",
                """
                CREATE TABLE public.types (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    b boolean, i2 smallint, i4 integer, n numeric, r real, d double precision,
                    t text, vc varchar(10), c char(3), by bytea, ts timestamp, tstz timestamptz, dt date,
                    tm time, iv interval, u uuid, j json, jb jsonb, arr integer[], ip inet, cidr cidr,
                    mac macaddr, pt point, rng int4range, bits bit varying, x xml, tsv tsvector, m money,
                    doubled integer GENERATED ALWAYS AS (i4 * 2) STORED)
                """,
                """
                INSERT INTO public.types (b, i2, i4, n, r, d, t, vc, c, by, ts, tstz, dt, tm, iv, u, j, jb, arr, ip,
                                          cidr, mac, pt, rng, bits, x, tsv, m)
                SELECT g % 2 = 0, g, g * 1000, g / 7.0, g / 3.0, 'NaN'::float8 + 0 * g,
                       CASE WHEN g % 5 = 0 THEN NULL ELSE 'tab\t nl' || E'\\n' || 'bs\\\\ ' || g END,
                       'v' || g, 'c', decode(md5(g::text), 'hex'), '2026-01-01'::timestamp + g * interval '1 hour',
                       '2026-01-01 00:00+02'::timestamptz, '2026-01-01'::date + g, '12:34:56', g * interval '1 min',
                       md5(g::text)::uuid, ('{"k": ' || g || '}')::json, ('{"k": [' || g || ', null]}')::jsonb,
                       ARRAY[g, NULL, -g], '10.0.0.1', '10.0.0.0/8', '08:00:2b:01:02:03', point(g, -g),
                       int4range(g, g + 10), B'1011', ('<a>' || g || '</a>')::xml,
                       to_tsvector('simple', 'quick brown fox ' || g), g * 1.25
                  FROM generate_series(1, 200) g
                """,
                // TOASTed values: large, barely compressible text.
                "CREATE TABLE public.toasty (id int PRIMARY KEY, big text)",
                "INSERT INTO public.toasty SELECT g, (SELECT string_agg(md5(g::text || s::text), '') "
                        + "FROM generate_series(1, 4000) s) FROM generate_series(1, 20) g",
                "CREATE TABLE public.measurements (id int, at date NOT NULL, v int) PARTITION BY RANGE (at)",
                "CREATE TABLE public.m2025 PARTITION OF public.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE public.m2026 PARTITION OF public.measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') "
                        + "PARTITION BY LIST (v)",
                "CREATE TABLE public.m2026_even PARTITION OF public.m2026 FOR VALUES IN (0)",
                "CREATE TABLE public.m2026_odd PARTITION OF public.m2026 FOR VALUES IN (1)",
                "INSERT INTO public.measurements SELECT g, '2025-06-01'::date + g % 400, g % 2 FROM generate_series(1, 1000) g",
                "CREATE TABLE public.nopk (a int, b text)",
                "INSERT INTO public.nopk SELECT 1, 'same' FROM generate_series(1, 30)",
                "CREATE TABLE public.empty (a int)",
                "CREATE TABLE public.big (id serial PRIMARY KEY, pad text)",
                "INSERT INTO public.big (pad) SELECT repeat(md5(g::text), 4) FROM generate_series(1, 40000) g",
                "CREATE SEQUENCE public.free_seq",
                "SELECT nextval('public.free_seq') FROM generate_series(1, 7)");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4:3", "zstd"})
    void everyTableRoundTripsExactlyWithEveryCompression(String compression) throws Exception {
        Path dir = root.resolve("content-" + compression.replace(':', '-'));
        String id = newSnapshotId();

        JsonNode result = generate(cluster, "postgres", params(id, dir, compression, 3));

        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.snapshotId()).isEqualTo(id);
        assertThat(manifest.compression().toString()).isEqualTo(compression);
        assertThat(manifest.tables()).extracting(t -> t.schema() + "." + t.name()).containsExactly(
                MIXED_SCHEMA + "." + UNICODE_TABLE, "public.big", "public.empty", "public.m2025", "public.m2026_even",
                "public.m2026_odd", "public.nopk", "public.toasty", "public.types");
        assertThat(table(manifest, "m2026_odd").parent()).isEqualTo(new Manifest.TableName("public", "measurements"));
        assertThat(table(manifest, "types").columns()).contains("id", "tsv").doesNotContain("doubled");
        for (Manifest.TableEntry table : manifest.tables()) {
            List<String> copied = tableLines(cluster, dir, manifest, table);
            assertThat(copied).as(table.name()).hasSize((int) table.rows())
                    .containsExactlyInAnyOrderElementsOf(serverLines(cluster, table));
        }
        VerifyReport report = new SnapshotVerifier(true, null).check(dir);
        assertThat(report.problems()).isEmpty();
        assertThat(manifest.sequences()).extracting(s -> s.name() + "=" + s.lastValue())
                .contains("free_seq=7", "big_id_seq=40000", "types_id_seq=200");
        String preData = Files.readString(dir.resolve("schema/pre-data.sql"));
        assertThat(preData).contains("CREATE TABLE \"Mixed Case\".\"Ünïcödé tåble \"\"quoted\"\"\"");
        assertThat(Files.readString(dir.resolve("schema/post-data.sql"))).contains("PRIMARY KEY");
        assertThat(result.get("rows_total").asLong()).isEqualTo(manifest.totals().rows())
                .isEqualTo(manifest.tables().stream().mapToLong(Manifest.TableEntry::rows).sum());
        assertThat(result.get("tables_total").asInt()).isEqualTo(9);
        assertThat(result.get("lsn").asText()).isEqualTo(manifest.consistency().lsn());
        assertThat(result.get("manifest_sha256").asText()).hasSize(64);
        assertThat(manifest.source().systemIdentifier()).isEqualTo(
                cluster.queryString("SELECT system_identifier::text FROM pg_control_system()"));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".tmp") || name.equals(".steep_repl_run"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void theServerWrittenAndTheStreamedCopyAreTheSameBytes() throws Exception {
        // postgres may write server files: the backend writes the uncompressed parts itself. A
        // role allowed only under steep_repl.snapshot_dir gets them streamed through the worker.
        Path granted = Files.createDirectories(root.resolve("granted"));
        PgCluster.giveToServer(granted);
        cluster.exec("CREATE ROLE dir_writer LOGIN",
                "GRANT SELECT ON public.big, public.nopk, public.big_id_seq TO dir_writer",
                "ALTER SYSTEM SET steep_repl.snapshot_dir = '" + granted + "'", "SELECT pg_reload_conf()");
        try {
            ObjectNode byServer = params(newSnapshotId(), root.resolve("by-server"), "none", 2);
            ObjectNode streamed = params(newSnapshotId(), granted.resolve("streamed"), "none", 2);
            for (ObjectNode params : List.of(byServer, streamed)) {
                params.withObjectProperty("options").put("split_threshold_mb", 1).putArray("include_tables")
                        .add("public.big").add("public.nopk");
            }
            generate(cluster, "postgres", byServer);
            generate(cluster, "dir_writer", streamed);

            Manifest server = ManifestReader.read(root.resolve("by-server"));
            Manifest worker = ManifestReader.read(granted.resolve("streamed"));
            assertThat(table(server, "big").parts().size()).isGreaterThan(1);
            assertThat(worker.tables()).usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(server.tables());
            assertThat(SnapshotVerifier.verify(granted.resolve("streamed")).problems()).isEmpty();
            try (Stream<Path> files = Files.list(root.resolve("by-server").resolve("data"))) {
                assertThat(files).allSatisfy(f -> assertThat(
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------"));
            }
        } finally {
            cluster.exec("ALTER SYSTEM RESET steep_repl.snapshot_dir", "SELECT pg_reload_conf()");
        }
    }

    @Test
    void aLargeTableIsSplitIntoCtidRangesWhoseRowsAddUp() {
        Path dir = root.resolve("split");
        ObjectNode params = params(newSnapshotId(), dir, "zstd:1", 2);
        params.withObjectProperty("options").put("split_threshold_mb", 1);

        generate(cluster, "postgres", params);

        Manifest manifest = ManifestReader.read(dir);
        Manifest.TableEntry big = table(manifest, "big");
        assertThat(big.parts().size()).isGreaterThan(2);
        assertThat(big.parts().get(0).ctidFrom()).isEqualTo("(0,0)");
        assertThat(big.parts().get(big.parts().size() - 1).ctidTo()).isNull();
        for (int i = 1; i < big.parts().size(); i++) {
            assertThat(big.parts().get(i).ctidFrom()).isEqualTo(big.parts().get(i - 1).ctidTo());
            assertThat(big.parts().get(i).file()).isEqualTo(String.format("data/0002.%04d.copy.zst", i));
        }
        assertThat(big.parts()).allSatisfy(p -> assertThat(p.rows()).isPositive());
        assertThat(big.parts().stream().mapToLong(Manifest.PartEntry::rows).sum()).isEqualTo(big.rows())
                .isEqualTo(cluster.queryLong("SELECT count(*) FROM public.big"));
        assertThat(tableLines(cluster, dir, manifest, big)).containsExactlyInAnyOrderElementsOf(serverLines(cluster, big));
        assertThat(table(manifest, "nopk").parts()).singleElement()
                .satisfies(p -> assertThat(p.ctidFrom()).isNull());
        assertThat(SnapshotVerifier.verify(dir).problems()).isEmpty();
    }

    @Test
    void schemaAndTableOptionsChooseTheTables() {
        Path dir = root.resolve("filtered");
        ObjectNode params = params(newSnapshotId(), dir, "none", 2);
        params.withObjectProperty("options").putArray("include_tables").add("public.measurements").add("nopk");
        params.withObjectProperty("options").putArray("exclude_tables").add("public.m2025");

        generate(cluster, "postgres", params);

        Manifest manifest = ManifestReader.read(dir);
        assertThat(manifest.tables()).extracting(Manifest.TableEntry::name)
                .containsExactly("m2026_even", "m2026_odd", "nopk");
        assertThat(manifest.sequences()).isEmpty();
    }

    private static Manifest.TableEntry table(Manifest manifest, String name) {
        return manifest.tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
