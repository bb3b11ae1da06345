package io.steep.repl.snapshot.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.compress.CompressionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestRoundTripTest {
    static final String SHA = "a".repeat(64);
    static final String CRC = "e3069283";

    static Manifest sample() {
        return sample(DataFormat.BINARY);
    }

    /** The sample as a manifest before format 3 holds it: tables in text, no column types. */
    static Manifest beforeFormatThree() {
        Manifest m = sample(DataFormat.TEXT);
        List<Manifest.TableEntry> tables = m.tables().stream().map(t -> new Manifest.TableEntry(t.schema(), t.name(),
                t.parent(), t.columns(), t.rows(), t.parts())).toList();
        return new Manifest(m.formatVersion(), m.snapshotId(), m.createdAt(), m.completedAt(), m.source(),
                m.consistency(), m.compression(), m.schema(), tables, m.sequences(), m.totals());
    }

    static Manifest sample(DataFormat format) {
        Manifest.PartEntry part = new Manifest.PartEntry("data/0001.0000.copy.zst", "(0,0)", null, 10, 100, 50,
                ChecksumAlgorithm.CRC32C, CRC);
        Manifest.TableEntry table = new Manifest.TableEntry("public", "Orders", new Manifest.TableName("public", "p"),
                List.of("id", "näme"), List.of("pg_catalog.int8", "\"Sales\".mood"), format, 10, List.of(part));
        return new Manifest(Manifest.FORMAT_VERSION, "snap_20261121_013000_ab12cd34", "2026-11-21T01:30:00.123Z", "2026-11-21T01:31:10.456Z",
                new Manifest.Source(null, "shop", "15.20", 150020, "7350000000000000000"),
                new Manifest.Consistency("00000003-0000001B-1", "0/1A2B3C4", null),
                new CompressionSpec(CompressionMethod.ZSTD, 3),
                new Manifest.Schema(new Manifest.FileEntry("schema/pre-data.sql", 12, ChecksumAlgorithm.SHA256, SHA),
                        new Manifest.FileEntry("schema/post-data.sql", 5, ChecksumAlgorithm.CRC32C, CRC)),
                List.of(table), List.of(new Manifest.SequenceEntry("public", "s", 42, true)),
                new Manifest.Totals(1, 1, 10, 100, 50));
    }

    @Test
    void writesSnakeCaseJsonAtomicallyAndReadsItBack(@TempDir Path dir) throws Exception {
        String sha = ManifestWriter.write(dir, sample());

        String json = Files.readString(dir.resolve("manifest.json"));
        assertThat(json).contains("\"format_version\" : 3", "\"data_format\" : \"binary\"",
                "\"column_types\" : [ \"pg_catalog.int8\", \"\\\"Sales\\\".mood\" ]",
                "\"checksum_algorithm\" : \"crc32c\"",
                "\"checksum\" : \"" + CRC + "\"", "\"checksum_algorithm\" : \"sha256\"", "\"ctid_to\" : null", "\"server_version_num\" : 150020",
                "\"method\" : \"zstd\"", "\"level\" : 3", "\"raw_bytes\" : 100", "\"is_called\" : true",
                "\"slot\" : null", "\"node_id\" : null");
        assertThat(Files.exists(dir.resolve("manifest.json.tmp"))).isFalse();
        assertThat(json).doesNotContain("\"sha256\" :");
        // the manifest's own id stays SHA-256, whatever its files use
        assertThat(sha).isEqualTo(ChecksumAlgorithm.SHA256.of(Files.readAllBytes(dir.resolve("manifest.json"))));
        assertThat(ManifestReader.read(dir)).isEqualTo(sample());
    }

    /** A manifest as format 2 wrote it: no data format, every table text, no column types. */
    static String formatTwo(String json) {
        return json.replace("\"format_version\" : 3", "\"format_version\" : 2")
                .replaceAll("\"data_format\" : \"[a-z]+\",\\s*", "")
                .replaceAll("\"column_types\" : \\[[^\\]]*\\],\\s*", "");
    }

    /** A manifest as format 1 wrote it: every file with {@code "sha256"}, no algorithm. */
    static String formatOne(String json) {
        return formatTwo(json).replace("\"format_version\" : 2", "\"format_version\" : 1")
                .replaceAll("\"checksum_algorithm\" : \"[a-z0-9]+\",\\s*\"checksum\" :", "\"sha256\" :");
    }

    @Test
    void readsTheTablesOfFormatTwoAsText(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample(DataFormat.BINARY));
        String v2 = formatTwo(Files.readString(dir.resolve("manifest.json")));
        assertThat(v2).contains("\"format_version\" : 2").doesNotContain("data_format").doesNotContain("column_types");

        Manifest read = ManifestReader.parse(v2.getBytes(StandardCharsets.UTF_8), "m");

        assertThat(read.formatVersion()).isEqualTo(2);
        assertThat(read.tables().get(0).dataFormat()).isEqualTo(DataFormat.TEXT);
        assertThat(read.tables()).isEqualTo(beforeFormatThree().tables());
    }

    @Test
    void refusesAnUnknownDataFormat(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample());
        String json = Files.readString(dir.resolve("manifest.json")).replace("\"binary\"", "\"csv\"");
        assertThatThrownBy(() -> ManifestReader.parse(json.getBytes(StandardCharsets.UTF_8), "m"))
                .hasMessageContaining("is not a valid snapshot manifest")
                .hasMessageContaining("\"csv\" is not one of text, binary");
    }

    @Test
    void readsFormatOneAsSha256Entries(@TempDir Path dir) throws Exception {
        Manifest sha256Only = withChecksums(beforeFormatThree(), ChecksumAlgorithm.SHA256, SHA);
        ManifestWriter.write(dir, sha256Only);
        String v1 = formatOne(Files.readString(dir.resolve("manifest.json")));
        assertThat(v1).contains("\"format_version\" : 1", "\"sha256\" : \"" + SHA + "\"")
                .doesNotContain("checksum");

        Manifest read = ManifestReader.parse(v1.getBytes(StandardCharsets.UTF_8), "m");

        assertThat(read.formatVersion()).isEqualTo(1);
        assertThat(read.schema().preData()).isEqualTo(
                new Manifest.FileEntry("schema/pre-data.sql", 12, ChecksumAlgorithm.SHA256, SHA));
        assertThat(read.tables().get(0).parts().get(0).checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(read.tables().get(0).parts().get(0).checksum()).isEqualTo(SHA);
        assertThat(new Manifest(Manifest.FORMAT_VERSION, read.snapshotId(), read.createdAt(), read.completedAt(),
                read.source(), read.consistency(), read.compression(), read.schema(), read.tables(), read.sequences(),
                read.totals())).isEqualTo(sha256Only);
        // a format 1 entry is read as sha256: a CRC-sized value there is no valid checksum
        assertThatThrownBy(() -> ManifestReader.parse(v1.replaceFirst(SHA, CRC).getBytes(StandardCharsets.UTF_8),
                "m")).hasMessageContaining("has no valid sha256 checksum");
    }

    @Test
    void refusesAnUnknownAlgorithmOrAValueOfAnotherForm(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample());
        String json = Files.readString(dir.resolve("manifest.json"));
        assertThatThrownBy(() -> ManifestReader.parse(json.replaceFirst("\"crc32c\"", "\"md5\"")
                .getBytes(StandardCharsets.UTF_8), "m"))
                .hasMessageContaining("is not a valid snapshot manifest")
                .hasMessageContaining("\"md5\" is not one of crc32c, sha256");
        assertThatThrownBy(() -> ManifestReader.parse(json.replace(CRC, SHA).getBytes(StandardCharsets.UTF_8), "m"))
                .hasMessageContaining("has no valid crc32c checksum");
        assertThatThrownBy(() -> ManifestReader.parse(json.replaceFirst("\"checksum_algorithm\" : \"[a-z0-9]+\",", "")
                .getBytes(StandardCharsets.UTF_8), "m"))
                .hasMessageContaining("has no checksum_algorithm");
    }

    private static Manifest withChecksums(Manifest m, ChecksumAlgorithm algorithm, String value) {
        Manifest.FileEntry pre = m.schema().preData();
        Manifest.FileEntry post = m.schema().postData();
        List<Manifest.TableEntry> tables = m.tables().stream().map(t -> new Manifest.TableEntry(t.schema(), t.name(),
                t.parent(), t.columns(), t.columnTypes(), t.dataFormat(), t.rows(), t.parts().stream().map(p -> new Manifest.PartEntry(p.file(),
                        p.ctidFrom(), p.ctidTo(), p.rows(), p.rawBytes(), p.bytes(), algorithm, value)).toList()))
                .toList();
        return new Manifest(m.formatVersion(), m.snapshotId(), m.createdAt(), m.completedAt(), m.source(),
                m.consistency(), m.compression(), new Manifest.Schema(
                        new Manifest.FileEntry(pre.file(), pre.bytes(), algorithm, value),
                        new Manifest.FileEntry(post.file(), post.bytes(), algorithm, value)),
                tables, m.sequences(), m.totals());
    }

    @Test
    void ignoresUnknownFields(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample());
        String json = Files.readString(dir.resolve("manifest.json")).replaceFirst("\\{", "{\"future\": {\"x\": 1},");
        assertThat(ManifestReader.parse(json.getBytes(StandardCharsets.UTF_8), "m").snapshotId())
                .isEqualTo("snap_20261121_013000_ab12cd34");
    }

    @Test
    void refusesANewerFormatVersion() {
        assertThatThrownBy(() -> ManifestReader.parse("{\"format_version\": 4}".getBytes(StandardCharsets.UTF_8), "m"))
                .isInstanceOf(SteepReplException.class)
                .hasMessageContaining("format_version 4, newer than this steep-repl reads (3)");
    }

    @Test
    void refusesAMissingManifestAndGarbage(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ManifestReader.read(dir)).hasMessageContaining("is not a snapshot");
        Files.writeString(dir.resolve("manifest.json"), "{\"format_version\": 1, ");
        assertThatThrownBy(() -> ManifestReader.read(dir)).hasMessageContaining("not valid JSON");
    }

    @Test
    void refusesFileNamesOutsideTheDirectory(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample());
        for (String bad : List.of("../etc/passwd", "/etc/passwd", "data/../../x", "data//x", "./x")) {
            String json = Files.readString(dir.resolve("manifest.json"))
                    .replace("data/0001.0000.copy.zst", bad);
            assertThatThrownBy(() -> ManifestReader.parse(json.getBytes(StandardCharsets.UTF_8), "m"))
                    .as(bad).hasMessageContaining("not a relative path inside the snapshot directory");
        }
    }

    @Test
    void refusesAnUnknownCompressionMethod(@TempDir Path dir) throws Exception {
        ManifestWriter.write(dir, sample());
        String json = Files.readString(dir.resolve("manifest.json")).replace("\"zstd\"", "\"xz\"");
        assertThatThrownBy(() -> ManifestReader.parse(json.getBytes(StandardCharsets.UTF_8), "m"))
                .hasMessageContaining("is not a valid snapshot manifest");
    }

    @Test
    void namesDataFilesByNumberAndExtension() {
        assertThat(SnapshotLayout.dataFile(1, 0, CompressionMethod.ZSTD)).isEqualTo("data/0001.0000.copy.zst");
        assertThat(SnapshotLayout.dataFile(12, 3, CompressionMethod.NONE)).isEqualTo("data/0012.0003.copy");
    }
}
