package io.steep.repl.snapshot.apply;

import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the target database holds of the snapshot's tables, read as the submitting role. */
final class TargetTables {

    /** A foreign key between two tables (partitions are reported as their partitioned root). */
    record ForeignKey(Manifest.TableName referencing, Manifest.TableName referenced) {
    }

    private TargetTables() {
    }

    /** The tables among {@code tables} that exist as ordinary or partitioned tables. */
    static Set<Manifest.TableName> existing(Connection connection, List<Manifest.TableName> tables)
            throws SQLException {
        Set<Manifest.TableName> found = new LinkedHashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT x.s, x.t FROM unnest(?::pg_catalog.text[], ?::pg_catalog.text[]) "
                + "AS x(s, t) WHERE EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = x.s AND c.relname = x.t AND c.relkind IN ('r', 'p'))")) {
            bindNames(connection, ps, tables);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Manifest.TableName(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return found;
    }

    /** The existing tables on which the current role lacks {@code privilege} (INSERT, SELECT, TRUNCATE). */
    static List<Manifest.TableName> lacking(Connection connection, List<Manifest.TableName> tables, String privilege)
            throws SQLException {
        List<Manifest.TableName> lacking = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT x.s, x.t FROM unnest(?::pg_catalog.text[], ?::pg_catalog.text[]) "
                + "AS x(s, t) WHERE NOT pg_catalog.has_table_privilege(pg_catalog.format('%I.%I', x.s, x.t), ?)")) {
            bindNames(connection, ps, tables);
            ps.setString(3, privilege);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lacking.add(new Manifest.TableName(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return lacking;
    }

    /**
     * The type of each of {@code columns} of an existing table as {@link DataFormat#COLUMN_TYPE_SQL}
     * gives it, in the same order; null for a column the table lacks.
     */
    static List<String> columnTypes(Connection connection, Manifest.TableName table, List<String> columns)
            throws SQLException {
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + DataFormat.COLUMN_TYPE_SQL
                + " FROM unnest(?::pg_catalog.text[]) WITH ORDINALITY AS x(name, i) "
                + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pg_catalog.to_regclass("
                + "pg_catalog.format('%I.%I', ?, ?)) AND a.attname = x.name AND a.attnum > 0 AND NOT a.attisdropped "
                + "ORDER BY x.i")) {
            ps.setArray(1, connection.createArrayOf("text", columns.toArray()));
            ps.setString(2, table.schema());
            ps.setString(3, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
        }
        return types;
    }

    static boolean hasRows(Connection connection, Manifest.TableName table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT FROM " + table.quoted() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Every foreign key that has one of {@code tables} (or their partitioned roots) at either
     * end, with partitions folded into their roots.
     */
    static List<ForeignKey> foreignKeys(Connection connection, List<Manifest.TableName> tables) throws SQLException {
        String root = "(SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.oid = COALESCE(pg_catalog.pg_partition_root(%s), %s))";
        String sql = "WITH fk AS (SELECT r.nspname AS rs, r.relname AS rt, d.nspname AS ds, d.relname AS dt "
                + "FROM pg_catalog.pg_constraint k "
                + "CROSS JOIN LATERAL " + root.formatted("k.conrelid", "k.conrelid") + " AS r "
                + "CROSS JOIN LATERAL " + root.formatted("k.confrelid", "k.confrelid") + " AS d "
                + "WHERE k.contype = 'f' AND k.conparentid = 0), "
                + "mine AS (SELECT * FROM unnest(?::pg_catalog.text[], ?::pg_catalog.text[]) AS x(s, t)) "
                + "SELECT DISTINCT rs, rt, ds, dt FROM fk WHERE EXISTS (SELECT FROM mine WHERE (s, t) = (rs, rt)) "
                + "OR EXISTS (SELECT FROM mine WHERE (s, t) = (ds, dt))";
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bindNames(connection, ps, tables);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ForeignKey(new Manifest.TableName(rs.getString(1), rs.getString(2)),
                            new Manifest.TableName(rs.getString(3), rs.getString(4))));
                }
            }
        }
        return keys;
    }

    private static void bindNames(Connection connection, PreparedStatement ps, List<Manifest.TableName> tables)
            throws SQLException {
        Array schemas = connection.createArrayOf("text", tables.stream().map(Manifest.TableName::schema).toArray());
        Array names = connection.createArrayOf("text", tables.stream().map(Manifest.TableName::name).toArray());
        ps.setArray(1, schemas);
        ps.setArray(2, names);
    }
}
