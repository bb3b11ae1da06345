package io.steep.repl.snapshot.compress;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A compression method and optional level, as written by users ({@code zstd:3}) and stored in
 * the manifest ({@code {"method": "zstd", "level": 3}}).
 *
 * @param level null for the method's default
 */
public record CompressionSpec(CompressionMethod method, Integer level) {
    public static final CompressionSpec NONE = new CompressionSpec(CompressionMethod.NONE, null);

    static final String HINT = "Use none, gzip, lz4 or zstd, optionally with a level: gzip:1..9, lz4:1..12, "
            + "zstd:1..22 (e.g. zstd:3).";

    public CompressionSpec {
        Objects.requireNonNull(method, "method");
        if (level != null && (!method.takesLevel() || level < method.minLevel() || level > method.maxLevel())) {
            throw invalid(method.id() + ":" + level, method.takesLevel()
                    ? "level " + level + " is out of range for " + method.id() + " (" + method.minLevel() + ".."
                            + method.maxLevel() + ")"
                    : method.id() + " takes no level");
        }
    }

    /**
     * Parses {@code none}, {@code gzip}, {@code lz4}, {@code zstd}, each optionally followed by
     * {@code :level}; case and surrounding blanks are ignored.
     *
     * @throws SteepReplException USAGE with a hint listing the choices
     */
    public static CompressionSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty");
        }
        String spec = text.trim().toLowerCase(Locale.ROOT);
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        CompressionMethod method = CompressionMethod.fromId(name);
        if (method == null) {
            throw invalid(text, "unknown method '" + name + "'");
        }
        if (colon < 0) {
            return new CompressionSpec(method, null);
        }
        String levelText = spec.substring(colon + 1);
        if (!levelText.matches("[0-9]{1,3}")) {
            throw invalid(text, "the level '" + levelText + "' is not a number");
        }
        return new CompressionSpec(method, Integer.parseInt(levelText));
    }

    /** The level in effect: the given one or the method's default; null for none. */
    public Integer effectiveLevel() {
        return level != null ? level : method.defaultLevel();
    }

    public String extension() {
        return method.extension();
    }

    /**
     * Wraps {@code out} so that what is written to the result arrives compressed; closing the
     * result finishes the stream and closes {@code out}.
     */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (method) {
            case NONE -> out;
            case GZIP -> new LeveledGzipOutputStream(out, effectiveLevel());
            case LZ4 -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L, lz4Compressor(),
                    XXHashFactory.fastestInstance().hash32(), LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                    LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, effectiveLevel()).setChecksum(true);
        };
    }

    private LZ4Compressor lz4Compressor() {
        int effective = effectiveLevel();
        return effective <= 1 ? LZ4Factory.fastestInstance().fastCompressor()
                : LZ4Factory.fastestInstance().highCompressor(effective);
    }

    /** {@code zstd:3}, or just the method when no level was given. */
    @Override
    public String toString() {
        return level == null ? method.id() : method.id() + ":" + level;
    }

    private static SteepReplException invalid(String text, String problem) {
        return new SteepReplException(ErrorCode.USAGE, "invalid compression '" + text + "': " + problem, HINT);
    }

    /** GZIPOutputStream with a chosen level and a buffer large enough for throughput. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, Streams.BUFFER_SIZE);
            def.setLevel(level);
        }
    }
}
