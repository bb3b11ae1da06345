package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts and checksums the bytes on their way to the file, i.e. the file as stored. */
final class HashingOutputStream extends FilterOutputStream {
    private final ChecksumAlgorithm.Running checksum;
    private long bytes;

    HashingOutputStream(OutputStream out, ChecksumAlgorithm algorithm) {
        super(out);
        checksum = algorithm.start();
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        checksum.update(b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        checksum.update(b, off, len);
        bytes += len;
    }

    long bytes() {
        return bytes;
    }

    /** The checksum as hex; call once, after everything was written. */
    String checksum() {
        return checksum.hex();
    }
}
