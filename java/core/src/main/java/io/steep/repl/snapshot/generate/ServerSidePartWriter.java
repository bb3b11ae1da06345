package io.steep.repl.snapshot.generate;

import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.DurableFiles;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Copies one part of an uncompressed snapshot on the server: {@code COPY ... TO '<file>'} has
 * the backend write the data file itself, so the rows never cross the connection. On a small
 * machine the client's share of a COPY costs about as much CPU as the server's; this way the
 * worker only checksums the finished file. Used when the submitter may write server files
 * (docs/snapshots.md, "Generate").
 *
 * <p>Each copy writes under a name of its own ({@code <file>.<random>.tmp}): a backend of a
 * killed attempt may still be writing when a retry copies the same part, and the two must never
 * share a file. The file is then made private, checksummed, renamed into place and handed to the
 * background fsync.
 */
final class ServerSidePartWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerSidePartWriter() {
    }

    static Manifest.PartEntry write(Connection connection, SnapshotPlan.Table table, SnapshotPlan.Part part,
            Path directory, ChecksumAlgorithm checksum, ServerCopiesInFlight inFlight, int worker, BackgroundFsync fsync,
            PartWriter.Listener listener)
            throws SQLException, IOException {
        String file = SnapshotLayout.dataFile(part.table(), part.part(), CompressionMethod.NONE);
        Path target = directory.resolve(file);
        Path tmp = target.resolveSibling(target.getFileName() + "." + uniqueSuffix() + SnapshotLayout.TMP_SUFFIX);
        boolean done = false;
        try {
            long rows;
            long reported;
            try (Statement statement = connection.createStatement()) {
                inFlight.started(worker, statement, tmp);
                try {
                    statement.execute(PartWriter.copySql(table, part, SqlIdentifiers.literal(tmp.toString())));
                    rows = statement.getLargeUpdateCount();
                } finally {
                    reported = inFlight.finished(worker);
                }
            }
            if (rows < 0) {
                throw new IllegalStateException("COPY of " + table.display() + " reported no row count");
            }
            // The backend creates the file under its own umask; snapshot data is private like the rest.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            long bytes = Files.size(tmp);
            String value = checksum.ofFile(tmp);
            listener.copied(rows, Math.max(0, bytes - reported));
            DurableFiles.rename(tmp, target);
            fsync.submit(target);
            done = true;
            return new Manifest.PartEntry(file, part.ctidFrom(), part.ctidTo(), rows, bytes, bytes, checksum, value);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover .tmp file is never mistaken for a finished part
                }
            }
        }
    }

    private static String uniqueSuffix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
