package io.steep.repl.snapshot.verify;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Counts the rows of a file in COPY's binary format, checking its frame as it goes: the
 * signature and header, each row's field count and field lengths, and the trailer, with
 * nothing after it. Field values are skipped, not read: whether they are valid is for the
 * server's receive functions to say when the file is loaded.
 */
final class BinaryCopyRows {
    /** {@code PGCOPY\n\377\r\n\0}, the first 11 bytes of every binary COPY file. */
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int BUFFER_SIZE = 256 * 1024;

    private BinaryCopyRows() {
    }

    /** @throws IOException naming what is wrong when the file is not a complete binary COPY file */
    static long count(InputStream copyBinary) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(copyBinary, BUFFER_SIZE));
        try {
            byte[] signature = in.readNBytes(SIGNATURE.length);
            if (!Arrays.equals(signature, SIGNATURE)) {
                throw new IOException("not in COPY's binary format (no PGCOPY signature)");
            }
            in.readInt(); // flags: bit 16 (OIDs) is refused by the server on load
            int extension = in.readInt();
            if (extension < 0) {
                throw new IOException("binary COPY header extension of " + extension + " bytes");
            }
            in.skipNBytes(extension);
            long rows = 0;
            while (true) {
                short fields = in.readShort();
                if (fields == -1) {
                    break;
                }
                if (fields < 0) {
                    throw new IOException("row " + (rows + 1) + " has " + fields + " fields");
                }
                for (int f = 0; f < fields; f++) {
                    int length = in.readInt();
                    if (length < -1) {
                        throw new IOException("row " + (rows + 1) + " has a field of " + length + " bytes");
                    }
                    if (length > 0) {
                        in.skipNBytes(length);
                    }
                }
                rows++;
            }
            if (in.read() >= 0) {
                throw new IOException("data after the binary COPY trailer");
            }
            return rows;
        } catch (EOFException e) {
            throw new IOException("ends before the binary COPY trailer", e);
        }
    }
}
