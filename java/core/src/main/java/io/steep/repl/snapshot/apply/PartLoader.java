package io.steep.repl.snapshot.apply;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.SnapshotFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads one data file into its table in one transaction: {@code BEGIN; [TRUNCATE ONLY t;] COPY t
 * (columns) FROM STDIN [(FREEZE, FORMAT binary)]; record the part in the ledger; COMMIT}. The file is streamed through
 * the decompressor straight into COPY, so memory use does not grow with its size, and the
 * cancel flag is checked between chunks: a cancelled load aborts its COPY and rolls back.
 * An uncompressed file is read by the server itself ({@code COPY t FROM '<file>'}) when the
 * submitter may read server files.
 */
final class PartLoader {
    private static final int CHUNK = 256 * 1024;

    private final Path snapshotDir;
    private final CompressionMethod compression;
    private final boolean serverReads;
    private final LoadLedger ledger;
    private final ApplyProgress progress;
    private final BooleanSupplier cancelled;

    /**
     * @param serverReads let the backend read the (uncompressed) data files itself: the submitter
     *                    has pg_read_server_files
     */
    PartLoader(Path snapshotDir, CompressionMethod compression, boolean serverReads, LoadLedger ledger,
            ApplyProgress progress, BooleanSupplier cancelled) {
        this.snapshotDir = snapshotDir;
        this.compression = compression;
        this.serverReads = serverReads && compression == CompressionMethod.NONE;
        this.ledger = ledger;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /**
     * @param part     index in the table's parts; for a table without parts, 0 and nothing is copied
     * @param truncate empty the table first, in the same transaction
     * @return rows loaded
     */
    long load(Connection connection, Manifest.TableEntry table, int part, boolean truncate) throws Exception {
        Manifest.TableName name = table.tableName();
        progress.tableStarted(name.display());
        connection.setAutoCommit(false);
        try {
            if (truncate) {
                try (Statement s = connection.createStatement()) {
                    // ONLY: inheritance children are separate snapshot tables, or not the snapshot's at all.
                    s.execute("TRUNCATE ONLY " + name.quoted());
                }
            }
            long rows = 0;
            if (!table.parts().isEmpty()) {
                Manifest.PartEntry entry = table.parts().get(part);
                rows = copy(connection, table, entry, truncate);
                if (rows != entry.rows()) {
                    throw new SteepReplException(ErrorCode.ERROR, "data file " + entry.file() + " of table "
                            + name.display() + " holds " + rows + " rows, the manifest says " + entry.rows(), null);
                }
            }
            ledger.record(connection, LoadLedger.PART, name, part, rows);
            connection.commit();
            progress.rowsLoaded(rows);
            return rows;
        } catch (Exception | Error e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * @param freeze the table was emptied in this transaction, so COPY may write the rows frozen
     *               and their pages all-visible: no later reader (the index builds, ANALYZE, the
     *               row count, autovacuum) has to set hint bits and write every page again
     */
    private long copy(Connection connection, Manifest.TableEntry table, Manifest.PartEntry entry, boolean freeze)
            throws Exception {
        String into = "COPY " + table.tableName().quoted() + columnList(table.columns()) + " FROM ";
        String options = copyOptions(table.dataFormat(), freeze);
        if (serverReads) {
            // The rows never cross the connection: on a small machine sending them costs the
            // worker about as much CPU as parsing them costs the server. A cancel of the job
            // cancels the statement (TaskPool). The server opens the file by name, following
            // links; the role may read server files anyway, and the file is checked here first.
            Path file = checked(table, entry);
            try (Statement s = connection.createStatement()) {
                s.execute(into + SqlIdentifiers.literal(file.toString()) + options);
                progress.bytesRead(entry.bytes());
                return s.getLargeUpdateCount();
            }
        }
        String sql = into + "STDIN" + options;
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try (InputStream data = compression.decompress(new CountingStream(
                SnapshotFiles.newInputStream(snapshotDir, entry.file()), progress))) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = data.read(buffer)) > 0) {
                if (cancelled.getAsBoolean()) {
                    throw new TaskPool.CancelledException();
                }
                copy.writeToCopy(buffer, 0, n);
            }
            return copy.endCopy();
        } catch (IOException e) {
            throw unreadable(table, entry, e);
        } finally {
            if (copy.isActive()) {
                cancelQuietly(copy);
            }
        }
    }

    private Path checked(Manifest.TableEntry table, Manifest.PartEntry entry) {
        try {
            return SnapshotFiles.checked(snapshotDir, entry.file());
        } catch (IOException e) {
            throw unreadable(table, entry, e);
        }
    }

    /** Names the file and what is wrong with it; never quotes what it holds. */
    private static SteepReplException unreadable(Manifest.TableEntry table, Manifest.PartEntry entry, IOException e) {
        String why = e instanceof NoSuchFileException ? "it does not exist"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return new SteepReplException(ErrorCode.ERROR, "cannot read data file " + entry.file() + " of table "
                + table.tableName().display() + ": " + why,
                "The file changed or was damaged after it was verified; verify the snapshot again.", null, e);
    }

    /** {@code (FREEZE, FORMAT binary)}, the parts of it that apply, or nothing. */
    static String copyOptions(DataFormat format, boolean freeze) {
        List<String> options = new ArrayList<>();
        if (freeze) {
            options.add("FREEZE");
        }
        if (format.copyOption() != null) {
            options.add(format.copyOption());
        }
        return options.isEmpty() ? "" : " (" + String.join(", ", options) + ")";
    }

    /** {@code ("a", "b")}, or nothing for a table without columns (COPY then takes none). */
    static String columnList(List<String> columns) {
        if (columns.isEmpty()) {
            return "";
        }
        return " (" + SqlIdentifiers.quoteAll(columns) + ")";
    }

    private static void cancelQuietly(CopyIn copy) {
        try {
            copy.cancelCopy();
        } catch (SQLException e) {
            // the transaction is rolled back next; a failed cancel changes nothing
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // a broken connection has rolled back already
        }
    }

    /** Reports the bytes read from a data file as they are read (the stored, compressed size). */
    private static final class CountingStream extends FilterInputStream {
        private final ApplyProgress progress;

        CountingStream(InputStream in, ApplyProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.bytesRead(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.bytesRead(n);
            }
            return n;
        }
    }
}
