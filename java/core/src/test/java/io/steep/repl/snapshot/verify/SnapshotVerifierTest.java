package io.steep.repl.snapshot.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class SnapshotVerifierTest {
    private static final CompressionSpec ZSTD = new CompressionSpec(CompressionMethod.ZSTD, 3);

    @Test
    void anIntactSnapshotPasses(@TempDir Path dir) throws Exception {
        write(dir, 3);
        List<String> seen = new ArrayList<>();

        VerifyReport report = new SnapshotVerifier(true, (file, bytes) -> seen.add(file)).check(dir);

        assertThat(report.problems()).isEmpty();
        assertThat(report.filesChecked()).isEqualTo(3);
        assertThat(seen).containsExactly("schema/pre-data.sql", "schema/post-data.sql", "data/0001.0000.copy.zst");
        assertThat(report.orThrow().snapshotId()).isEqualTo("snap_x");
    }

    @Test
    void reportsAMissingManifest(@TempDir Path dir) {
        VerifyReport report = SnapshotVerifier.verify(dir);

        assertThat(report.manifest()).isNull();
        assertThat(report.problems()).extracting(VerifyProblem::kind).containsExactly(VerifyProblem.Kind.MANIFEST);
    }

    @Test
    void reportsMissingTruncatedAndAlteredFiles(@TempDir Path dir) throws Exception {
        write(dir, 3);
        Files.delete(dir.resolve("schema/post-data.sql"));
        Path data = dir.resolve("data/0001.0000.copy.zst");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length - 1));
        Files.writeString(dir.resolve("schema/pre-data.sql"), "CREATE TABLE x();\n".replace('x', 'y'));

        VerifyReport report = SnapshotVerifier.verify(dir);

        assertThat(report.problems()).extracting(VerifyProblem::kind).containsExactly(
                VerifyProblem.Kind.CHECKSUM_MISMATCH, VerifyProblem.Kind.MISSING_FILE, VerifyProblem.Kind.SIZE_MISMATCH);
        assertThatThrownBy(report::orThrow).isInstanceOf(SteepReplException.class)
                .hasMessageContaining("failed verification")
                .hasMessageContaining("schema/post-data.sql: missing file");
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void aByteFlippedInPlaceIsCaughtByEitherAlgorithm(ChecksumAlgorithm algorithm, @TempDir Path dir)
            throws Exception {
        write(dir, 3, algorithm);
        Path data = dir.resolve("data/0001.0000.copy.zst");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(data, bytes);

        assertThat(SnapshotVerifier.verify(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerifyProblem.Kind.CHECKSUM_MISMATCH);
            assertThat(p.file()).isEqualTo("data/0001.0000.copy.zst");
            assertThat(p.detail()).startsWith(algorithm.id() + " ");
        });
    }

    @Test
    void decompressingFindsARowCountTheChecksumCannot(@TempDir Path dir) throws Exception {
        write(dir, 4); // the manifest claims one row more than the file holds

        assertThat(SnapshotVerifier.verify(dir).ok()).isTrue();
        assertThat(new SnapshotVerifier(true, null).check(dir).problems())
                .extracting(VerifyProblem::kind).containsExactly(VerifyProblem.Kind.ROW_COUNT_MISMATCH);
    }

    @Test
    void neverReadsThroughASymlinkEvenToTheRightContent(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        write(dir, 3);
        // Links to files with exactly the recorded content: only the link itself is wrong.
        moveAndLink(dir, "data/0001.0000.copy.zst", elsewhere.resolve("part"));
        moveAndLink(dir, "schema/pre-data.sql", elsewhere.resolve("pre"));

        VerifyReport report = SnapshotVerifier.verify(dir);

        assertThat(report.problems()).extracting(VerifyProblem::kind, VerifyProblem::file).containsExactly(
                tuple(VerifyProblem.Kind.NOT_A_REGULAR_FILE, "schema/pre-data.sql"),
                tuple(VerifyProblem.Kind.NOT_A_REGULAR_FILE, "data/0001.0000.copy.zst"));
        assertThat(report.problems().get(1).describe()).contains("is a symbolic link");
        assertThat(report.filesChecked()).isEqualTo(1);
    }

    @Test
    void neverReadsThroughASymlinkedDirectoryOrManifest(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        write(dir, 3);
        moveAndLink(dir, "data", elsewhere.resolve("data"));

        assertThat(SnapshotVerifier.verify(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerifyProblem.Kind.NOT_A_REGULAR_FILE);
            assertThat(p.detail()).contains("a directory on its path is a symbolic link");
        });

        moveAndLink(dir, "manifest.json", elsewhere.resolve("manifest.json"));
        VerifyReport report = SnapshotVerifier.verify(dir);
        assertThat(report.manifest()).isNull();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerifyProblem.Kind.MANIFEST);
            assertThat(p.detail()).contains("is a symbolic link").doesNotContain("snap_x");
        });
    }

    private static void moveAndLink(Path dir, String name, Path target) throws IOException {
        Files.move(dir.resolve(name), target);
        Files.createSymbolicLink(dir.resolve(name), target);
    }

    private static void write(Path dir, long claimedRows) throws IOException {
        write(dir, claimedRows, ChecksumAlgorithm.DEFAULT);
    }

    private static void write(Path dir, long claimedRows, ChecksumAlgorithm algorithm) throws IOException {
        Files.createDirectories(dir.resolve("schema"));
        Files.createDirectories(dir.resolve("data"));
        Manifest.FileEntry pre = file(dir, "schema/pre-data.sql", "CREATE TABLE x();\n".getBytes(StandardCharsets.UTF_8),
                algorithm);
        Manifest.FileEntry post = file(dir, "schema/post-data.sql", new byte[0], algorithm);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (OutputStream out = ZSTD.compress(packed)) {
            out.write("1\ta\n2\tb\\nc\n3\t\\N\n".getBytes(StandardCharsets.UTF_8));
        }
        Manifest.FileEntry data = file(dir, "data/0001.0000.copy.zst", packed.toByteArray(), algorithm);
        Manifest.TableEntry table = new Manifest.TableEntry("public", "x", null, List.of("id", "v"), claimedRows,
                List.of(new Manifest.PartEntry(data.file(), null, null, claimedRows, 20, data.bytes(), algorithm,
                        data.checksum())));
        ManifestWriter.write(dir, new Manifest(Manifest.FORMAT_VERSION, "snap_x", "t0", "t1",
                new Manifest.Source(null, "db", "15", 150000, "1"), new Manifest.Consistency("s", "0/0", null), ZSTD,
                new Manifest.Schema(pre, post), List.of(table), List.of(), new Manifest.Totals(1, 1, 3, 20, data.bytes())));
    }

    private static Manifest.FileEntry file(Path dir, String name, byte[] content, ChecksumAlgorithm algorithm)
            throws IOException {
        Files.write(dir.resolve(name), content);
        return new Manifest.FileEntry(name, content.length, algorithm, algorithm.of(content));
    }
}
