package io.steep.repl.snapshot.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChecksumAlgorithmTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void knownVectors() {
        // CRC-32C check value (RFC 3720, iSCSI); SHA-256 of "" and "abc" (FIPS 180-2).
        assertThat(ChecksumAlgorithm.CRC32C.of(CHECK)).isEqualTo("e3069283");
        assertThat(ChecksumAlgorithm.CRC32C.of(new byte[0])).isEqualTo("00000000");
        assertThat(ChecksumAlgorithm.CRC32C.of(new byte[32])).isEqualTo("8a9136aa");
        assertThat(ChecksumAlgorithm.SHA256.of(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ChecksumAlgorithm.SHA256.of("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void bytesFilesStreamsAndPiecesAgree(ChecksumAlgorithm algorithm, @TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 17]; // more than one read buffer, not a multiple of it
        new Random(42).nextBytes(data);
        Path file = Files.write(dir.resolve("f"), data);
        String whole = algorithm.of(data);

        ChecksumAlgorithm.Running pieces = algorithm.start();
        pieces.update(data[0]);
        pieces.update(data, 1, 1000);
        pieces.update(data, 1001, data.length - 1001);

        assertThat(whole).matches(h -> algorithm.isValue(h), "is a value of " + algorithm);
        assertThat(algorithm.ofFile(file)).isEqualTo(whole);
        assertThat(algorithm.of(new ByteArrayInputStream(data))).isEqualTo(whole);
        assertThat(pieces.hex()).isEqualTo(whole);
        data[data.length / 2] ^= 0x40;
        assertThat(algorithm.of(data)).isNotEqualTo(whole);
    }

    @Test
    void namesTheDefaultAndTheValuesOfEach() {
        assertThat(ChecksumAlgorithm.DEFAULT).isEqualTo(ChecksumAlgorithm.CRC32C);
        assertThat(ChecksumAlgorithm.ids()).isEqualTo("crc32c, sha256");
        assertThat(ChecksumAlgorithm.byId("sha256")).isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(ChecksumAlgorithm.byId("SHA256")).isNull();
        assertThat(ChecksumAlgorithm.byId("md5")).isNull();
        assertThat(ChecksumAlgorithm.CRC32C.isValue("e3069283")).isTrue();
        assertThat(ChecksumAlgorithm.CRC32C.isValue("E3069283")).isFalse();
        assertThat(ChecksumAlgorithm.CRC32C.isValue("e306928")).isFalse();
        assertThat(ChecksumAlgorithm.SHA256.isValue("e3069283")).isFalse();
        assertThat(ChecksumAlgorithm.SHA256.isValue("a".repeat(64))).isTrue();
    }
}
