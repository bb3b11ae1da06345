package io.steep.repl.snapshot.manifest;

import io.steep.repl.snapshot.compress.CompressionMethod;
import java.util.Locale;

/** The names of the files in a snapshot directory (docs/snapshots.md, "Directory format"). */
public final class SnapshotLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String PRE_DATA = "schema/pre-data.sql";
    public static final String POST_DATA = "schema/post-data.sql";
    public static final String SCHEMA_DIR = "schema";
    public static final String DATA_DIR = "data";
    /** Suffix of a file still being written; renamed away after fsync. */
    public static final String TMP_SUFFIX = ".tmp";
    /** Marks a directory as an unfinished run of generate; holds the snapshot id. */
    public static final String RUN_MARKER = ".steep_repl_run";

    private SnapshotLayout() {
    }

    /**
     * The data file of part {@code part} of table number {@code table} (1-based, manifest order),
     * e.g. {@code data/0001.0000.copy.zst}. Names never contain table names.
     */
    public static String dataFile(int table, int part, CompressionMethod method) {
        return String.format(Locale.ROOT, "%s/%04d.%04d.copy%s", DATA_DIR, table, part, method.extension());
    }
}
