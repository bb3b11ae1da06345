package io.steep.repl.snapshot.generate;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans a run from the catalog as the exported snapshot sees it: ordinary tables and leaf
 * partitions (partitioned parents hold no data), outside system schemas and not belonging to an
 * extension, filtered by the options; tables larger than the split threshold become CTID ranges
 * of about half the threshold. Each table is written in the data format asked for, unless a
 * column's binary form would not load into another database: one that names catalog objects
 * of this one (arrays of user-defined types, composite types: their binary form carries type
 * OIDs), or a type from an extension or CREATE TYPE, whose binary form is its author's and
 * may change with its version; built-in base, range and multirange types (and arrays of
 * them), enums (sent by label) and domains over built-in types are fine. Such a table is
 * text, as pg_dump writes every table. Refuses the run when the role lacks SELECT on
 * something it would copy, naming all of it at once.
 */
final class SnapshotPlanner {
    /** Shown before the rest are only counted. */
    private static final int MAX_NAMED = 10;

    private static final String TABLES = """
            SELECT n.nspname, c.relname, rn.nspname AS root_schema, rc.relname AS root_name,
                   pg_catalog.pg_relation_size(c.oid) AS bytes,
                   pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                          ORDER BY a.attnum) AS columns,
                   ARRAY(SELECT $column_type FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                          ORDER BY a.attnum) AS column_types,
                   NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                                 JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                                 LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                  AND a.attgenerated = ''
                                  AND NOT (t.typtype = 'e'
                                           OR (coalesce(b.oid, t.oid) < 16384::pg_catalog.oid
                                               AND coalesce(b.typtype, t.typtype) IN ('b', 'r', 'm')
                                               AND coalesce(b.typsend, t.typsend)::pg_catalog.oid <> 0
                                               AND coalesce(b.typreceive, t.typreceive)::pg_catalog.oid <> 0)))
                       AS binary_safe,
                   ARRAY(SELECT an.nspname::text FROM pg_catalog.pg_partition_ancestors(c.oid) p
                          JOIN pg_catalog.pg_class ac ON ac.oid = p.relid
                          JOIN pg_catalog.pg_namespace an ON an.oid = ac.relnamespace
                          WHERE p.relid <> c.oid) AS ancestor_schemas,
                   ARRAY(SELECT ac.relname::text FROM pg_catalog.pg_partition_ancestors(c.oid) p
                          JOIN pg_catalog.pg_class ac ON ac.oid = p.relid
                          WHERE p.relid <> c.oid) AS ancestor_names
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_class rc ON c.relispartition AND rc.oid = pg_catalog.pg_partition_root(c.oid)
              LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
             WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
               AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
               AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                  AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY n.nspname, c.relname
            """.replace("$column_type", DataFormat.COLUMN_TYPE_SQL);

    private static final String SEQUENCES = """
            SELECT n.nspname, c.relname, pg_catalog.has_sequence_privilege(c.oid, 'SELECT') AS can_select,
                   tn.nspname AS owner_schema, tc.relname AS owner_name,
                   trn.nspname AS owner_root_schema, trc.relname AS owner_root_name
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_depend od ON od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND od.objid = c.oid AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND od.deptype IN ('a', 'i')
              LEFT JOIN pg_catalog.pg_class tc ON tc.oid = od.refobjid
              LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
              LEFT JOIN pg_catalog.pg_class trc ON tc.relispartition AND trc.oid = pg_catalog.pg_partition_root(tc.oid)
              LEFT JOIN pg_catalog.pg_namespace trn ON trn.oid = trc.relnamespace
             WHERE c.relkind = 'S'
               AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
               AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                  AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY n.nspname, c.relname
            """;

    private static final int PARTS_PER_CONNECTION = 8;
    private static final long MIN_CHUNK_BYTES = 16L << 20;

    private SnapshotPlanner() {
    }

    /** A table found by the planner, before its parts are chosen. */
    private record Found(TableName name, TableName root, List<String> columns, List<String> columnTypes, long bytes,
            DataFormat dataFormat) {
    }

    /**
     * @param dataFormat what the run asks for; a table that binary does not suit is text
     *                   whatever is asked ({@link #TABLES}, binary_safe)
     */
    static SnapshotPlan plan(Connection snapshot, TableFilter filter, long splitThresholdBytes, int parallel,
            DataFormat dataFormat) throws SQLException {
        int blockSize = blockSize(snapshot);
        List<Found> found = new ArrayList<>();
        Set<TableName> dumpTables = new LinkedHashSet<>();
        List<String> denied = new ArrayList<>();
        try (PreparedStatement ps = snapshot.prepareStatement(TABLES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableName name = new TableName(rs.getString(1), rs.getString(2));
                TableName root = rs.getString(3) == null ? null : new TableName(rs.getString(3), rs.getString(4));
                if (!filter.includes(name, root)) {
                    continue;
                }
                if (!rs.getBoolean("can_select")) {
                    denied.add("table " + name.display());
                    continue;
                }
                DataFormat format = rs.getBoolean("binary_safe") ? dataFormat : DataFormat.TEXT;
                found.add(new Found(name, root, strings(rs.getArray("columns")), strings(rs.getArray("column_types")),
                        rs.getLong("bytes"), format));
                List<String> ancestorSchemas = strings(rs.getArray("ancestor_schemas"));
                List<String> ancestorNames = strings(rs.getArray("ancestor_names"));
                for (int i = 0; i < ancestorNames.size(); i++) {
                    dumpTables.add(new TableName(ancestorSchemas.get(i), ancestorNames.get(i)));
                }
                dumpTables.add(name);
            }
        }
        long chunkBytes = chunkBytes(found.stream().mapToLong(Found::bytes).sum(), parallel, splitThresholdBytes);
        List<SnapshotPlan.Table> tables = new ArrayList<>();
        for (Found table : found) {
            int number = tables.size() + 1;
            tables.add(new SnapshotPlan.Table(number, table.name(), table.root(), table.columns(), table.bytes(),
                    split(number, table.bytes(), blockSize, splitThresholdBytes, chunkBytes), table.dataFormat(),
                    table.columnTypes()));
        }
        List<TableName> sequences = new ArrayList<>();
        try (PreparedStatement ps = snapshot.prepareStatement(SEQUENCES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableName name = new TableName(rs.getString(1), rs.getString(2));
                TableName owner = rs.getString(4) == null ? null : new TableName(rs.getString(4), rs.getString(5));
                TableName ownerRoot = rs.getString(6) == null ? null : new TableName(rs.getString(6), rs.getString(7));
                boolean wanted = filter.includesSchema(name.schema())
                        && (owner == null ? filter.includeTables().isEmpty() : filter.includes(owner, ownerRoot));
                if (!wanted) {
                    continue;
                }
                if (!rs.getBoolean("can_select")) {
                    denied.add("sequence " + name.display());
                    continue;
                }
                sequences.add(name);
            }
        }
        if (!denied.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "permission denied: role \"" + currentUser(snapshot)
                    + "\" lacks SELECT on " + describe(denied),
                    "GRANT SELECT on them to the role, or leave them out with the exclude_tables / exclude_schemas options.");
        }
        if (found.isEmpty() && filter.includesSome()) {
            // pg_dump given no table would dump every schema: the very opposite of the filter.
            throw GenerateParams.usage("the include options match no table the snapshot could copy ("
                    + filter.describeIncludes() + ")", "Nothing was written. Names are taken as written, without "
                    + "case folding (schema.table as in the catalog); leave the include options out to snapshot "
                    + "the whole database.");
        }
        boolean limited = !filter.includeTables().isEmpty() || !filter.excludeTables().isEmpty();
        return new SnapshotPlan(tables, sequences, limited ? List.copyOf(dumpTables) : List.of());
    }

    /**
     * The size of the CTID ranges a table above the threshold is cut into: half the threshold,
     * or less when the whole run is small for its connections. Parts are taken largest first,
     * so the connections finish together when the last parts are small against each
     * connection's share: about an eighth of it here, but never below 16 MB, where a part's own
     * cost (a statement, a file, an fsync) would start to count.
     */
    static long chunkBytes(long totalBytes, int parallel, long thresholdBytes) {
        long balanced = totalBytes / ((long) Math.max(1, parallel) * PARTS_PER_CONNECTION);
        return Math.min(thresholdBytes / 2, Math.max(MIN_CHUNK_BYTES, balanced));
    }

    /** CTID ranges of {@code chunkBytes}, the last one open-ended so rows in later pages are not lost. */
    static List<SnapshotPlan.Part> split(int table, long bytes, int blockSize, long thresholdBytes, long chunkBytes) {
        if (bytes <= thresholdBytes) {
            return List.of(new SnapshotPlan.Part(table, 0, null, null, bytes));
        }
        long blocks = (bytes + blockSize - 1) / blockSize;
        long chunk = Math.max(1, chunkBytes / blockSize);
        List<SnapshotPlan.Part> parts = new ArrayList<>();
        for (long start = 0; start < blocks; start += chunk) {
            boolean last = start + chunk >= blocks;
            long estimate = (last ? blocks - start : chunk) * blockSize;
            parts.add(new SnapshotPlan.Part(table, parts.size(), "(" + start + ",0)",
                    last ? null : "(" + (start + chunk) + ",0)", estimate));
        }
        return parts;
    }

    private static String describe(List<String> denied) {
        String named = String.join(", ", denied.subList(0, Math.min(MAX_NAMED, denied.size())));
        return denied.size() > MAX_NAMED ? named + " and " + (denied.size() - MAX_NAMED) + " more" : named;
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.asList((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static int blockSize(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_catalog.current_setting('block_size')::integer"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_user"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
