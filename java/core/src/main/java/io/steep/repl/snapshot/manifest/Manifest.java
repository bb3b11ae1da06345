package io.steep.repl.snapshot.manifest;

import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.snapshot.compress.CompressionSpec;
import java.util.List;

/**
 * The {@code manifest.json} of a snapshot directory (docs/snapshots.md, format_version 3).
 * Written last by generate; a directory without it is not a snapshot. Format 2 had no
 * {@code data_format} per table: every table was text, which is what a missing one reads as.
 * Format 1 differed from 2 only in its file entries ({@code sha256} instead of
 * {@code checksum_algorithm} and {@code checksum}); {@link ManifestReader} reads it as format 2.
 *
 * @param createdAt   ISO-8601 UTC with milliseconds, when the snapshot was taken
 * @param completedAt ISO-8601 UTC with milliseconds, when the manifest was written
 */
public record Manifest(
        int formatVersion,
        String snapshotId,
        String createdAt,
        String completedAt,
        Source source,
        Consistency consistency,
        CompressionSpec compression,
        Schema schema,
        List<TableEntry> tables,
        List<SequenceEntry> sequences,
        Totals totals) {

    /** The only version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 3;

    public Manifest {
        tables = tables == null ? List.of() : List.copyOf(tables);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
    }

    /** @param nodeId null when the run was not given a node id */
    public record Source(String nodeId, String database, String serverVersion, int serverVersionNum,
            String systemIdentifier) {
    }

    /**
     * @param lsn  pg_current_wal_lsn() in the snapshot, or the slot's consistent point
     * @param slot null unless a replication slot was created and kept
     */
    public record Consistency(String exportedSnapshot, String lsn, Slot slot) {
    }

    public record Slot(String name, String plugin) {
    }

    public record Schema(FileEntry preData, FileEntry postData) {
    }

    /**
     * A file of the snapshot: path relative to the snapshot directory, size and checksum as stored.
     *
     * @param checksum hex, of the form of {@code checksumAlgorithm}
     */
    public record FileEntry(String file, long bytes, ChecksumAlgorithm checksumAlgorithm, String checksum) {
    }

    public record TableName(String schema, String name) {
        /** {@code schema.name} for messages; not quoted, not for SQL. */
        public String display() {
            return schema + "." + name;
        }

        /** {@code "schema"."name"}, for SQL. */
        public String quoted() {
            return SqlIdentifiers.qualified(schema, name);
        }
    }

    /**
     * @param parent     the partitioned root of a leaf partition, else null
     * @param columns    in COPY order; generated columns excluded
     * @param columnTypes the type of each column's binary form ({@link DataFormat#COLUMN_TYPE_SQL});
     *                    empty in manifests written before format 3
     * @param dataFormat  how the table's parts hold its rows; text in manifests written before
     *                    format 3, which had no choice
     */
    public record TableEntry(String schema, String name, TableName parent, List<String> columns,
            List<String> columnTypes, DataFormat dataFormat, long rows, List<PartEntry> parts) {
        public TableEntry {
            columns = columns == null ? List.of() : List.copyOf(columns);
            columnTypes = columnTypes == null ? List.of() : List.copyOf(columnTypes);
            dataFormat = dataFormat == null ? DataFormat.TEXT : dataFormat;
            parts = parts == null ? List.of() : List.copyOf(parts);
        }

        /** A table in COPY's text format, its column types not recorded. */
        public TableEntry(String schema, String name, TableName parent, List<String> columns, long rows,
                List<PartEntry> parts) {
            this(schema, name, parent, columns, List.of(), DataFormat.TEXT, rows, parts);
        }

        public TableName tableName() {
            return new TableName(schema, name);
        }
    }

    /**
     * One data file of a table. The part holds the rows with {@code ctid >= ctidFrom AND ctid < ctidTo};
     * both are null for an unsplit table, ctidTo null means to the end.
     *
     * @param rawBytes COPY's bytes (text or binary, as the table's data format) before compression
     * @param bytes    the file's size as stored
     * @param checksum hex checksum of the file as stored, by {@code checksumAlgorithm}
     */
    public record PartEntry(String file, String ctidFrom, String ctidTo, long rows, long rawBytes, long bytes,
            ChecksumAlgorithm checksumAlgorithm, String checksum) {
    }

    public record SequenceEntry(String schema, String name, long lastValue, boolean isCalled) {
    }

    public record Totals(int tables, int parts, long rows, long rawBytes, long bytes) {
    }
}
