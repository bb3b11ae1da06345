package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.Sha256;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and hashes (SHA-256) the bytes on their way to the file, i.e. the file as stored. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long bytes;

    HashingOutputStream(OutputStream out) {
        super(out);
        digest = Sha256.newDigest();
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
        return Sha256.hex(digest);
    }
}
