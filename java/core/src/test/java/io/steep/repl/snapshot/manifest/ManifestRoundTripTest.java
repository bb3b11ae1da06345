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

    static Manifest sample() {
        Manifest.PartEntry part = new Manifest.PartEntry("data/0001.0000.copy.zst", "(0,0)", null, 10, 100, 50, SHA);
        Manifest.TableEntry table = new Manifest.TableEntry("public", "Orders", new Manifest.TableName("public", "p"),
                List.of("id", "näme"), 10, List.of(part));
        return new Manifest(1, "snap_20261121_013000_ab12cd34", "2026-11-21T01:30:00.123Z", "2026-11-21T01:31:10.456Z",
                new Manifest.Source(null, "shop", "15.20", 150020, "7350000000000000000"),
                new Manifest.Consistency("00000003-0000001B-1", "0/1A2B3C4", null),
                new CompressionSpec(CompressionMethod.ZSTD, 3),
                new Manifest.Schema(new Manifest.FileEntry("schema/pre-data.sql", 12, SHA),
                        new Manifest.FileEntry("schema/post-data.sql", 5, SHA)),
                List.of(table), List.of(new Manifest.SequenceEntry("public", "s", 42, true)),
                new Manifest.Totals(1, 1, 10, 100, 50));
    }

    @Test
    void writesSnakeCaseJsonAtomicallyAndReadsItBack(@TempDir Path dir) throws Exception {
        String sha = ManifestWriter.write(dir, sample());

        String json = Files.readString(dir.resolve("manifest.json"));
        assertThat(json).contains("\"format_version\" : 1", "\"ctid_to\" : null", "\"server_version_num\" : 150020",
                "\"method\" : \"zstd\"", "\"level\" : 3", "\"raw_bytes\" : 100", "\"is_called\" : true",
                "\"slot\" : null", "\"node_id\" : null");
        assertThat(Files.exists(dir.resolve("manifest.json.tmp"))).isFalse();
        assertThat(sha).isEqualTo(ManifestWriter.sha256(Files.readAllBytes(dir.resolve("manifest.json"))));
        assertThat(ManifestReader.read(dir)).isEqualTo(sample());
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
        assertThatThrownBy(() -> ManifestReader.parse("{\"format_version\": 2}".getBytes(StandardCharsets.UTF_8), "m"))
                .isInstanceOf(SteepReplException.class)
                .hasMessageContaining("format_version 2, newer than this steep-repl reads (1)");
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
