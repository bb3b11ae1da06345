package io.steep.repl.snapshot.verify;

/**
 * One thing wrong with a snapshot directory.
 *
 * @param file the file concerned, relative to the snapshot directory
 */
public record VerifyProblem(Kind kind, String file, String detail) {
    public enum Kind {
        /** manifest.json is missing, unreadable, invalid or of a newer format_version. */
        MANIFEST,
        MISSING_FILE,
        SIZE_MISMATCH,
        CHECKSUM_MISMATCH,
        /** The file does not decompress (damaged or cut short). */
        CORRUPT,
        ROW_COUNT_MISMATCH,
        /** The file exists but cannot be read (permissions, I/O error). */
        UNREADABLE,
        /** A symbolic link (or one on its path), a directory or a device: never read (docs/security.md). */
        NOT_A_REGULAR_FILE
    }

    /** One line for humans, e.g. {@code data/0001.0000.copy.zst: checksum mismatch (...)}. */
    public String describe() {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return file + ": " + what + (detail == null ? "" : " (" + detail + ")");
    }
}
