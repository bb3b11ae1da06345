package io.steep.repl.snapshot.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionSpecTest {

    @Test
    void parsesMethodsWithAndWithoutLevels() {
        assertThat(CompressionSpec.parse("none")).isEqualTo(CompressionSpec.NONE);
        assertThat(CompressionSpec.parse(" ZSTD:3 ")).isEqualTo(new CompressionSpec(CompressionMethod.ZSTD, 3));
        assertThat(CompressionSpec.parse("gzip")).isEqualTo(new CompressionSpec(CompressionMethod.GZIP, null));
        assertThat(CompressionSpec.parse("gzip").effectiveLevel()).isEqualTo(6);
        assertThat(CompressionSpec.parse("lz4:9").toString()).isEqualTo("lz4:9");
        assertThat(CompressionSpec.parse("zstd").extension()).isEqualTo(".zst");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "xz", "zstd:0", "zstd:23", "gzip:10", "none:1", "zstd:", "zstd:fast", "lz4:13", "zstd:-1"})
    void refusesBadSpecsWithAHintListingTheChoices(String spec) {
        assertThatThrownBy(() -> CompressionSpec.parse(spec))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.hint()).contains("none, gzip, lz4 or zstd");
                })
                .hasMessageContaining("invalid compression");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "gzip:1", "lz4", "lz4:9", "zstd", "zstd:19"})
    void roundTripsLargeAndEmptyData(String text) throws IOException {
        CompressionSpec spec = CompressionSpec.parse(text);
        byte[] data = sample(3_000_000);
        assertThat(decompress(spec, compress(spec, data))).isEqualTo(data);
        assertThat(decompress(spec, compress(spec, new byte[0]))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void aTruncatedStreamFailsToDecompress(String text) throws IOException {
        CompressionSpec spec = CompressionSpec.parse(text);
        byte[] packed = compress(spec, sample(500_000));
        byte[] cut = Arrays.copyOf(packed, packed.length / 2);
        assertThatThrownBy(() -> decompress(spec, cut)).isInstanceOf(IOException.class);
    }

    private static byte[] sample(int size) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < size; i++) {
            text.append(i).append('\t').append("row ").append(i * 7919 % 10007).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] compress(CompressionSpec spec, byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = spec.compress(sink)) {
            for (int off = 0; off < data.length; off += 1000) {
                out.write(data, off, Math.min(1000, data.length - off));
            }
        }
        return sink.toByteArray();
    }

    private static byte[] decompress(CompressionSpec spec, byte[] data) throws IOException {
        try (InputStream in = spec.method().decompress(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
