package io.steep.repl.it.snapshot.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.snapshot.SnapshotCli;
import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checksum a snapshot records per file, end to end through the CLI on real clusters:
 * CRC-32C by default and SHA-256 with {@code --checksum sha256}, each file's value recomputed
 * here independently; both verify and apply to the same rows; a snapshot written in manifest
 * format 1 (SHA-256 per file, before files named their algorithm) still verifies and applies;
 * one byte changed in place is caught by {@code snapshot verify} and by apply before anything
 * changes, with either algorithm; an unknown algorithm is refused before any run starts.
 */
class ChecksumIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static PgCluster source;
    private static PgCluster target;
    private static Path root;
    private static Map<String, String> sourceDigests;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        source = ApplySupport.startCluster("checksum-src");
        target = ApplySupport.startCluster("checksum-dst");
        source.exec(ApplySupport.awkwardSource("ANALYZE"));
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
    }

    /**
     * @param flag        the --checksum given, "-" for none
     * @param compression uncompressed parts are written by the server and checksummed after,
     *                    compressed ones checksummed as they are written
     */
    @ParameterizedTest
    @CsvSource({"-, crc32c, none", "sha256, sha256, none", "crc32c, crc32c, gzip", "sha256, sha256, lz4"})
    void everyFileHasTheChosenChecksumAndTheSnapshotVerifiesAndApplies(String flag, String algorithm,
            String compression) throws Exception {
        Path dir = root.resolve("rt-" + flag + "-" + compression);
        SnapshotCli.generate(source, home, dir, "--compression", compression,
                "--checksum", flag.equals("-") ? null : flag);

        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.path("format_version").asInt()).isEqualTo(3);
        List<JsonNode> entries = fileEntries(manifest);
        assertThat(entries).hasSizeGreaterThan(5).allSatisfy(entry -> {
            assertThat(entry.has("sha256")).as("old field in %s", entry).isFalse();
            assertThat(entry.path("checksum_algorithm").asText()).as("%s", entry).isEqualTo(algorithm);
            assertThat(entry.path("checksum").asText()).as("%s", entry)
                    .isEqualTo(SnapshotCli.checksum(algorithm, dir.resolve(entry.path("file").asText())));
        });

        SnapshotCli.verifiesAndAppliesAsTheSource(target, home, dir, sourceDigests);
    }

    @Test
    void aSnapshotWrittenInManifestFormatOneStillVerifiesAndApplies() throws Exception {
        Path dir = root.resolve("format-1");
        SnapshotCli.generate(source, home, dir, "--data-format", "text", "--checksum", "sha256");
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        manifest.put("format_version", 1);
        manifest.path("tables").forEach(table -> ((ObjectNode) table).remove("data_format"));
        for (JsonNode entry : fileEntries(manifest)) {
            ObjectNode old = (ObjectNode) entry;
            String sha256 = old.remove("checksum").asText();
            old.remove("checksum_algorithm");
            old.put("sha256", sha256);
        }
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        assertThat(Files.readString(dir.resolve("manifest.json"))).contains("\"sha256\" : \"")
                .doesNotContain("checksum").doesNotContain("data_format");

        SnapshotCli.verifiesAndAppliesAsTheSource(target, home, dir, sourceDigests);
    }

    @ParameterizedTest
    @ValueSource(strings = {"crc32c", "sha256"})
    void oneByteChangedInPlaceIsCaughtByVerifyAndByApplyBeforeAnyChange(String algorithm) throws Exception {
        Path dir = root.resolve("flipped-" + algorithm);
        SnapshotCli.generate(source, home, dir, "--checksum", algorithm);
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        JsonNode largest = fileEntries(manifest).stream().filter(e -> e.path("file").asText().startsWith("data/"))
                .max((a, b) -> Long.compare(a.path("bytes").asLong(), b.path("bytes").asLong())).orElseThrow();
        String file = largest.path("file").asText();
        Path part = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(part);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(part, bytes);
        assertThat(Files.size(part)).isEqualTo(largest.path("bytes").asLong());

        CliDriver.Result verify = new CliDriver(home).run("snapshot", "verify", dir.toString());
        assertThat(verify.exitCode()).as(verify.output()).isEqualTo(1);
        assertThat(verify.stdout()).contains("damaged:", file + ": checksum mismatch", algorithm + " ");

        CliDriver.Result applied = SnapshotCli.apply(target, home, dir, 1);
        assertThat(applied.output()).contains("checksum mismatch", file);
        assertThat(target.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname IN ('app', 'Mixed Ünïcode')"))
                .as("schemas created by a failed apply").isZero();
        assertThat(target.queryLong("SELECT count(*) FROM steep_repl.snapshot_loads")).isZero();
    }

    @Test
    void anUnknownAlgorithmIsRefusedBeforeAnyRunStarts() throws Exception {
        SnapshotCli.refusedBeforeAnyRun(source, home, root, "checksum", "md5", "--checksum",
                "option checksum \"md5\" is not a checksum algorithm", "crc32c (the default) or sha256");
    }

    /** The schema files and every data part of the manifest. */
    private static List<JsonNode> fileEntries(JsonNode manifest) {
        List<JsonNode> entries = new ArrayList<>(List.of(manifest.path("schema").path("pre_data"),
                manifest.path("schema").path("post_data")));
        for (JsonNode table : manifest.path("tables")) {
            table.path("parts").forEach(entries::add);
        }
        return entries;
    }

}
