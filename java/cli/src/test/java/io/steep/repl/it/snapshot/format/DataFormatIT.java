package io.steep.repl.it.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.snapshot.SnapshotCli;
import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.testkit.PgCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The data format of a snapshot's tables, end to end through the CLI on two clusters: binary
 * by default without compression and text with it, either on request; tables whose columns'
 * binary form would not load into another database (composite types, arrays of an enum) text
 * whatever is asked; every combination verifies row by row and applies to the same rows; a
 * snapshot written before tables had a format (manifest format 2) still verifies and applies;
 * a binary part cut short under a matching checksum is caught by {@code verify --rows}; a
 * binary table is refused, before any change, by an existing table whose column types differ
 * from the snapshot's; an unknown format is refused before any run starts.
 */
class DataFormatIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Types of the source's own: their OIDs differ on the target. */
    private static final List<String> OWN_TYPES = List.of(
            "CREATE SCHEMA fmt",
            "CREATE TYPE fmt.mood AS ENUM ('sad', 'ok', 'happy')",
            "CREATE TYPE fmt.pair AS (a int, b text)",
            "CREATE DOMAIN fmt.amount AS numeric(10,2) CHECK (VALUE >= 0)",
            "CREATE TABLE fmt.plain (id int PRIMARY KEY, m fmt.mood, a fmt.amount, r int4multirange, n numeric)",
            "INSERT INTO fmt.plain SELECT g, (ARRAY['sad','ok','happy']::fmt.mood[])[1 + g % 3], g / 4.0, "
                    + "int4multirange(int4range(g, g + 2), int4range(g + 5, NULL)), "
                    + "CASE g % 3 WHEN 0 THEN 'NaN' WHEN 1 THEN '-Infinity' ELSE g * 1e-20 END "
                    + "FROM generate_series(1, 300) g",
            "CREATE TABLE fmt.composite (id int PRIMARY KEY, p fmt.pair)",
            "INSERT INTO fmt.composite SELECT g, ROW(g, 'b ' || g)::fmt.pair FROM generate_series(1, 50) g",
            "CREATE TABLE fmt.moods (id int PRIMARY KEY, ms fmt.mood[])",
            "INSERT INTO fmt.moods SELECT g, ARRAY['ok', 'sad']::fmt.mood[] FROM generate_series(1, 50) g");
    private static final List<String> TEXT_ALWAYS = List.of("fmt.composite", "fmt.moods");

    private static PgCluster source;
    private static PgCluster target;
    private static Path root;
    private static Map<String, String> sourceDigests;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        source = ApplySupport.startCluster("format-src");
        target = ApplySupport.startCluster("format-dst");
        List<String> setup = new ArrayList<>(List.of(ApplySupport.awkwardSource()));
        setup.addAll(OWN_TYPES);
        source.exec(setup.toArray(String[]::new));
        // A type of the target's own first, so that no OID of the source's types is free there.
        target.exec("CREATE TYPE public.elsewhere AS (x int)");
        sourceDigests = ApplySupport.digests(source, "postgres");
        root = source.serverDirectory("snapshots");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(target, source);
    }

    @BeforeEach
    void emptyTarget() {
        ApplySupport.emptyAwkwardTarget(target);
        target.exec("DROP SCHEMA IF EXISTS fmt CASCADE");
    }

    /**
     * @param flag        the --data-format given, "-" for none
     * @param compression uncompressed parts are written by the server, compressed ones by the worker
     * @param expected    what every table that suits binary gets
     */
    @ParameterizedTest
    @CsvSource({"-, none, binary", "-, zstd, text", "text, none, text", "binary, lz4, binary",
            "binary, none, binary"})
    void eachTableHasTheFormatAskedWhereItSuitsAndTheSnapshotVerifiesAndApplies(String flag, String compression,
            String expected) throws Exception {
        Path dir = root.resolve("rt-" + flag + "-" + compression);
        SnapshotCli.generate(source, home, dir, "--compression", compression,
                "--data-format", flag.equals("-") ? null : flag);

        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.path("format_version").asInt()).isEqualTo(3);
        Map<String, String> formats = formats(manifest);
        assertThat(formats).containsKeys("app.types", "app.orders", "fmt.plain", "fmt.composite", "fmt.moods");
        formats.forEach((table, format) -> assertThat(format).as(table)
                .isEqualTo(TEXT_ALWAYS.contains(table) ? "text" : expected));
        if (compression.equals("none")) {
            String signature = expected.equals("binary") ? "PGCOPY\n" : "1\t";
            assertThat(Files.readString(dir.resolve(part(manifest, "fmt.plain")), StandardCharsets.ISO_8859_1))
                    .startsWith(signature);
        }

        SnapshotCli.verifiesAndAppliesAsTheSource(target, home, dir, sourceDigests);
    }

    @Test
    void aSnapshotWrittenInManifestFormatTwoStillVerifiesAndApplies() throws Exception {
        Path dir = root.resolve("format-2");
        SnapshotCli.generate(source, home, dir, "--compression", "none", "--data-format", "text");
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        manifest.put("format_version", 2);
        manifest.path("tables").forEach(table -> ((ObjectNode) table).remove(List.of("data_format", "column_types")));
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        assertThat(Files.readString(dir.resolve("manifest.json"))).doesNotContain("data_format")
                .doesNotContain("column_types");

        SnapshotCli.verifiesAndAppliesAsTheSource(target, home, dir, sourceDigests);
    }

    @Test
    void aBinaryPartCutShortUnderAMatchingChecksumIsCaughtByVerifyRows() throws Exception {
        Path dir = root.resolve("cut");
        SnapshotCli.generate(source, home, dir, "--compression", "none", "--data-format", "binary");
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        String file = part(manifest, "app.orders");
        Path data = dir.resolve(file);
        try (var channel = Files.newByteChannel(data, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 2); // the trailer
        }
        // The manifest rewritten to match, as a tool that "repaired" the file would leave it.
        for (JsonNode table : manifest.path("tables")) {
            for (JsonNode entry : table.path("parts")) {
                if (entry.path("file").asText().equals(file)) {
                    ((ObjectNode) entry).put("bytes", Files.size(data))
                            .put("checksum", SnapshotCli.checksum("crc32c", data));
                }
            }
        }
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));

        CliDriver.Result checksumsOnly = new CliDriver(home).run("snapshot", "verify", dir.toString());
        assertThat(checksumsOnly.exitCode()).as(checksumsOnly.output()).isZero();
        CliDriver.Result rows = new CliDriver(home).run("snapshot", "verify", dir.toString(), "--rows");
        assertThat(rows.exitCode()).as(rows.output()).isEqualTo(1);
        assertThat(rows.stdout()).contains(file, "ends before the binary COPY trailer");
    }

    /**
     * int4 and float4 share a binary form (four bytes): loaded into a real column, an int's
     * bytes would read as some other number without an error. Apply compares the columns'
     * types with the manifest's first; text converts, so a text snapshot loads into real.
     */
    @Test
    void binaryLoadsOnlyIntoColumnsOfTheSnapshotsTypes() throws Exception {
        source.exec("CREATE TABLE public.shape (id int PRIMARY KEY, v int, d fmt.amount)",
                "INSERT INTO public.shape SELECT g, g * 1000, g FROM generate_series(1, 100) g");
        Path binary = root.resolve("shape-binary");
        Path text = root.resolve("shape-text");
        try {
            generateTable(binary, "binary", "public.shape");
            generateTable(text, "text", "public.shape");
            assertThat(JSON.readTree(binary.resolve("manifest.json").toFile()).path("tables").get(0)
                    .path("column_types").toString())
                    .isEqualTo("[\"pg_catalog.int4\",\"pg_catalog.int4\",\"pg_catalog.\\\"numeric\\\"\"]");
            // d as numeric, the domain's base type: the same binary form, so it loads.
            target.exec("CREATE TABLE public.shape (id int PRIMARY KEY, v real, d numeric)");

            CliDriver.Result refused = SnapshotCli.apply(target, home, binary, 1);
            assertThat(refused.output()).contains("public.shape.v (pg_catalog.float4, the snapshot's pg_catalog.int4)",
                    "--data-format text").doesNotContain("public.shape.d");
            assertThat(target.queryLong("SELECT count(*) FROM public.shape")).isZero();

            SnapshotCli.apply(target, home, text, 0);
            assertThat(target.queryString("SELECT sum(v::int)::text FROM public.shape")).isEqualTo("5050000");

            target.exec("TRUNCATE public.shape", "DELETE FROM steep_repl.snapshot_loads",
                    "ALTER TABLE public.shape ALTER v TYPE int");
            SnapshotCli.apply(target, home, binary, 0);
            assertThat(ApplySupport.digests(target, "postgres").get("public.shape"))
                    .isEqualTo(ApplySupport.digests(source, "postgres").get("public.shape"));
        } finally {
            target.exec("DROP TABLE IF EXISTS public.shape", "DELETE FROM steep_repl.snapshot_loads");
            source.exec("DROP TABLE public.shape");
        }
    }

    @Test
    void anUnknownDataFormatIsRefusedBeforeAnyRunStarts() throws Exception {
        SnapshotCli.refusedBeforeAnyRun(source, home, root, "data_format", "csv", "--data-format",
                "option data_format \"csv\" is not a data format", "is not a data format");
    }

    /** Only {@code table}, through the SQL function, uncompressed in {@code format}. */
    private void generateTable(Path dir, String format, String table) throws SQLException {
        try (Connection c = source.connect(); PreparedStatement start = c.prepareStatement(
                "SELECT snapshot_id FROM steep_repl.start_snapshot(?, 'none', 2, "
                        + "jsonb_build_object('data_format', ?::text, 'include_tables', jsonb_build_array(?::text)))");
                PreparedStatement wait = c.prepareStatement("SELECT status FROM steep_repl.wait_snapshot(?)")) {
            start.setString(1, dir.toString());
            start.setString(2, format);
            start.setString(3, table);
            String id;
            try (ResultSet rs = start.executeQuery()) {
                rs.next();
                id = rs.getString(1);
            }
            wait.setString(1, id);
            try (ResultSet rs = wait.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("complete");
            }
        }
        assertThat(dir.resolve("manifest.json")).exists();
    }

    /** schema.name to data_format, for every table of the manifest. */
    private static Map<String, String> formats(JsonNode manifest) {
        Map<String, String> formats = new LinkedHashMap<>();
        for (JsonNode table : manifest.path("tables")) {
            formats.put(table.path("schema").asText() + "." + table.path("name").asText(),
                    table.path("data_format").asText());
        }
        return formats;
    }

    /** The first data file of {@code table}. */
    private static String part(JsonNode manifest, String table) {
        for (JsonNode t : manifest.path("tables")) {
            if ((t.path("schema").asText() + "." + t.path("name").asText()).equals(table)) {
                return t.path("parts").get(0).path("file").asText();
            }
        }
        throw new AssertionError("no table " + table);
    }
}
