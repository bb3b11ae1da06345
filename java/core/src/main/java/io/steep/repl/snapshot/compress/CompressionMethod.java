package io.steep.repl.snapshot.compress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;

/**
 * How a data file is compressed, with the level range each method accepts and the file name
 * extension it gets. Every method writes a standard stream format, so the files can be
 * checked and read with gzip, lz4 and zstd command-line tools as well.
 */
public enum CompressionMethod {
    NONE("", 0, 0, null),
    GZIP(".gz", 1, 9, 6),
    /** 1 is LZ4's fast mode; 2..12 use LZ4 HC at that level. */
    LZ4(".lz4", 1, 12, 1),
    ZSTD(".zst", 1, 22, 3);

    private final String extension;
    private final int minLevel;
    private final int maxLevel;
    private final Integer defaultLevel;

    CompressionMethod(String extension, int minLevel, int maxLevel, Integer defaultLevel) {
        this.extension = extension;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** The name used in compression specs and the manifest: none, gzip, lz4, zstd. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file name suffix, including the dot; empty for {@link #NONE}. */
    public String extension() {
        return extension;
    }

    public boolean takesLevel() {
        return defaultLevel != null;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    /** The level used when a spec names none; null for {@link #NONE}. */
    public Integer defaultLevel() {
        return defaultLevel;
    }

    /** The method named {@code id}, or null when there is none. */
    @JsonCreator
    public static CompressionMethod fromId(String id) {
        for (CompressionMethod method : values()) {
            if (method.id().equals(id)) {
                return method;
            }
        }
        return null;
    }

    /** Reads a stream written by this method; detects truncation at end of stream. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, Streams.BUFFER_SIZE);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        };
    }
}
