package io.steep.repl.snapshot.generate;

import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.DurableFiles;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Copies one part of a table into its data file: {@code COPY ... TO STDOUT} streamed through
 * the compressor into {@code <file>.tmp}, checksumming and counting on the way, then rename it into
 * place and hand it to the background fsync.
 * Memory use does not depend on the table's size.
 */
final class PartWriter {
    private static final int BUFFER_SIZE = 256 * 1024;
    /** How much COPY output passes between two progress reports (and cancel checks). */
    static final long REPORT_EVERY_BYTES = 1L << 20;

    /** Told about the rows and bytes copied so far; may throw to stop the copy (e.g. cancel). */
    interface Listener {
        void copied(long rowsDelta, long rawBytesDelta);
    }

    private PartWriter() {
    }

    static Manifest.PartEntry write(Connection connection, SnapshotPlan.Table table, SnapshotPlan.Part part,
            Path directory, CompressionSpec compression, ChecksumAlgorithm checksum, BackgroundFsync fsync,
            Listener listener)
            throws SQLException, IOException {
        String file = SnapshotLayout.dataFile(part.table(), part.part(), compression.method());
        Path target = directory.resolve(file);
        Path tmp = DurableFiles.tmpOf(target);
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql(table, part));
        // One message a row; binary COPY sends its trailer in one more after the last row.
        long trailer = table.dataFormat() == DataFormat.BINARY ? 1 : 0;
        long rows = -trailer;
        long rawBytes = 0;
        HashingOutputStream stored;
        boolean done = false;
        try {
            long unreportedRows = -trailer;
            long unreportedBytes = 0;
            stored = new HashingOutputStream(new BufferedOutputStream(DurableFiles.createNew(tmp), BUFFER_SIZE),
                    checksum);
            try (OutputStream out = new BufferedOutputStream(compression.compress(stored), BUFFER_SIZE)) {
                byte[] row;
                while ((row = copy.readFromCopy()) != null) {
                    out.write(row);
                    rows++;
                    rawBytes += row.length;
                    unreportedRows++;
                    unreportedBytes += row.length;
                    if (unreportedBytes >= REPORT_EVERY_BYTES) {
                        listener.copied(unreportedRows, unreportedBytes);
                        unreportedRows = 0;
                        unreportedBytes = 0;
                    }
                }
            }
            listener.copied(unreportedRows, unreportedBytes);
            long serverRows = copy.getHandledRowCount();
            if (serverRows >= 0 && serverRows != rows) {
                throw new IllegalStateException("COPY of " + table.display() + " reported " + serverRows
                        + " rows but " + rows + " arrived");
            }
            DurableFiles.rename(tmp, target);
            fsync.submit(target);
            done = true;
        } finally {
            if (!done) {
                abandon(copy, tmp);
            }
        }
        return new Manifest.PartEntry(file, part.ctidFrom(), part.ctidTo(), rows, rawBytes, stored.bytes(), checksum,
                stored.checksum());
    }

    /** Stops a COPY still streaming (so the connection is usable) and removes the unfinished file. */
    private static void abandon(CopyOut copy, Path tmp) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            // the connection is closed with the run anyway
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // a leftover .tmp file is never mistaken for a finished part
        }
    }

    static String copySql(SnapshotPlan.Table table, SnapshotPlan.Part part) {
        return copySql(table, part, "STDOUT");
    }

    /**
     * {@code COPY "s"."t" ("a", "b") TO <destination> [(FORMAT binary)]}, or a SELECT with the
     * part's CTID range.
     *
     * @param destination {@code STDOUT} or a file name as a SQL literal
     */
    static String copySql(SnapshotPlan.Table table, SnapshotPlan.Part part, String destination) {
        String columns = SqlIdentifiers.quoteAll(table.columns());
        String option = table.dataFormat().copyOption();
        String to = " TO " + destination + (option == null ? "" : " (" + option + ")");
        if (!part.isSplit() && !table.columns().isEmpty()) {
            return "COPY " + table.name().quoted() + " (" + columns + ")" + to;
        }
        StringBuilder select = new StringBuilder("SELECT ").append(columns).append(" FROM ONLY ")
                .append(table.name().quoted());
        if (part.isSplit()) {
            // Quoted as literals although the planner (or a checked ledger) formatted them from numbers.
            select.append(" WHERE ctid >= ").append(SqlIdentifiers.literal(part.ctidFrom())).append("::pg_catalog.tid");
            if (part.ctidTo() != null) {
                select.append(" AND ctid < ").append(SqlIdentifiers.literal(part.ctidTo())).append("::pg_catalog.tid");
            }
        }
        return "COPY (" + select + ")" + to;
    }
}
