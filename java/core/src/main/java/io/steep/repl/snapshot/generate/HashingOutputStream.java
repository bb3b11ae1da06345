package io.steep.repl.snapshot.generate;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes (SHA-256) the bytes on their way to the file, i.e. the file as stored. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long bytes;

    HashingOutputStream(OutputStream out) {
        super(out);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        bytes += len;
    }

    long bytes() {
        return bytes;
    }

    /** The hex digest; call once, after everything was written. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
