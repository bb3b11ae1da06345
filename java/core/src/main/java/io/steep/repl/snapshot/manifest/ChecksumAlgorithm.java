package io.steep.repl.snapshot.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksums a manifest can record for a file, as lower-case hex (docs/snapshots.md,
 * "Checksums"). The one list of the algorithms and the default: the extension's option check
 * names the same values, and {@code GenerateParams} checks against this one.
 *
 * <p>CRC-32C catches accidental damage (bit flips, truncation, a torn write) at almost no cost
 * (the JDK compiles it to the CPU's CRC instructions); SHA-256 catches any change, at much
 * more CPU per byte. Neither protects against someone who can rewrite the manifest as well:
 * the manifest is not signed.
 */
public enum ChecksumAlgorithm {
    /** CRC-32C (Castagnoli), the value as 8 hex digits, most significant first. */
    CRC32C(8) {
        @Override
        public Running start() {
            CRC32C crc = new CRC32C();
            return new Running() {
                @Override
                public void update(byte[] bytes, int offset, int length) {
                    crc.update(bytes, offset, length);
                }

                @Override
                public String hex() {
                    return HexFormat.of().toHexDigits((int) crc.getValue());
                }
            };
        }
    },
    /** SHA-256, 64 hex digits. */
    SHA256(64) {
        @Override
        public Running start() {
            MessageDigest digest = sha256Digest();
            return new Running() {
                @Override
                public void update(byte[] bytes, int offset, int length) {
                    digest.update(bytes, offset, length);
                }

                @Override
                public String hex() {
                    return HexFormat.of().formatHex(digest.digest());
                }
            };
        }
    };

    /** What a snapshot uses when its run names no algorithm. */
    public static final ChecksumAlgorithm DEFAULT = CRC32C;

    /** Files are read in large blocks into a heap array: the fast path of both algorithms. */
    private static final int BUFFER_SIZE = 1 << 20;

    private final int hexLength;

    ChecksumAlgorithm(int hexLength) {
        this.hexLength = hexLength;
    }

    /** A checksum being computed over bytes as they pass. Not thread-safe. */
    public abstract static class Running {
        public abstract void update(byte[] bytes, int offset, int length);

        public void update(int b) {
            update(new byte[] {(byte) b}, 0, 1);
        }

        /** The value as hex; call once, after the last update. */
        public abstract String hex();
    }

    /** A new checksum over no bytes yet. */
    public abstract Running start();

    /** The name in the manifest, the {@code checksum} option and the CLI: crc32c, sha256. */
    @JsonValue
    public String id() {
        return EnumIds.id(this);
    }

    /** Whether {@code value} has the form of this algorithm's checksum (lower-case hex of its length). */
    public boolean isValue(String value) {
        return value != null && value.length() == hexLength && value.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** @return null when {@code id} names no algorithm */
    public static ChecksumAlgorithm byId(String id) {
        return EnumIds.byId(ChecksumAlgorithm.class, id);
    }

    /** For the JSON of a manifest or ledger: an unknown name makes the file invalid. */
    @JsonCreator
    public static ChecksumAlgorithm fromJson(String id) {
        return EnumIds.fromJson(ChecksumAlgorithm.class, "checksum_algorithm", id);
    }

    /** {@code crc32c, sha256}, for messages. */
    public static String ids() {
        return EnumIds.ids(ChecksumAlgorithm.class);
    }

    public String of(byte[] bytes) {
        Running running = start();
        running.update(bytes, 0, bytes.length);
        return running.hex();
    }

    public String ofFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** The checksum of everything left in {@code in}, which the caller closes. */
    public String of(InputStream in) throws IOException {
        Running running = start();
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buffer)) > 0) {
            running.update(buffer, 0, n);
        }
        return running.hex();
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
