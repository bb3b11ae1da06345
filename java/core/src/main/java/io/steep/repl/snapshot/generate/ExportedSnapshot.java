package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The coordinator's transaction: REPEATABLE READ, READ ONLY, in the run's exported snapshot, so
 * that every copy connection and pg_dump see exactly the same data. The snapshot is exported by
 * this transaction, or by the creation of a kept replication slot, which this transaction then
 * imports. It stays open until the run ends; closing the connection ends it.
 */
final class ExportedSnapshot implements AutoCloseable {
    /** What pg_export_snapshot() returns, e.g. 00000003-0000001B-1; checked before it goes into SQL. */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$");

    private final Connection connection;
    private final String name;
    private final String lsn;

    private ExportedSnapshot(Connection connection, String name, String lsn) {
        this.connection = connection;
        this.name = name;
        this.lsn = lsn;
    }

    /** Takes ownership of {@code connection} (autocommit, running as the submitter). */
    static ExportedSnapshot export(Connection connection) throws SQLException {
        try {
            execute(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            String name;
            String lsn;
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot(), "
                            + "pg_catalog.pg_current_wal_lsn()::text")) {
                rs.next();
                name = rs.getString(1);
                lsn = rs.getString(2);
            }
            requireValidName(name);
            return new ExportedSnapshot(connection, name, lsn);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Takes ownership of {@code connection} (autocommit, running as the submitter): its transaction
     * imports a snapshot exported elsewhere, whose position in the WAL is {@code lsn}.
     *
     * @param exportAgain export it again under a name of its own, which stays importable as long
     *                    as this transaction runs, so the original exporter can go at once (an
     *                    imported snapshot can be exported again)
     */
    static ExportedSnapshot imported(Connection connection, String name, String lsn, boolean exportAgain)
            throws SQLException {
        try {
            importInto(connection, name);
            if (!exportAgain) {
                return new ExportedSnapshot(connection, name, lsn);
            }
            String own;
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                rs.next();
                own = rs.getString(1);
            }
            requireValidName(own);
            return new ExportedSnapshot(connection, own, lsn);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    static void requireValidName(String name) {
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
            throw new IllegalStateException("unexpected exported snapshot name '" + name + "'");
        }
    }

    /** Makes another connection's new transaction see this snapshot. */
    static void importInto(Connection connection, String snapshotName) throws SQLException {
        requireValidName(snapshotName);
        execute(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        execute(connection, "SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
    }

    String name() {
        return name;
    }

    String lsn() {
        return lsn;
    }

    Connection connection() {
        return connection;
    }

    Manifest.Source source(String nodeId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.current_database(), "
                + "pg_catalog.current_setting('server_version'), "
                + "pg_catalog.current_setting('server_version_num')::integer, "
                + "(SELECT system_identifier::text FROM pg_catalog.pg_control_system())");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Manifest.Source(nodeId, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4));
        }
    }

    /**
     * A sequence's state. Sequences are not transactional, so this is its value when read, not
     * at the snapshot; read after the data, it is at least as far as any value the copied rows use.
     */
    Manifest.SequenceEntry readSequence(Manifest.TableName sequence) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + sequence.quoted())) {
            rs.next();
            return new Manifest.SequenceEntry(sequence.schema(), sequence.name(), rs.getLong(1), rs.getBoolean(2));
        }
    }

    /** Whether the submitter may have the server write files: pg_write_server_files, or superuser. */
    boolean submitterWritesServerFiles() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_has_role(current_user, 'pg_write_server_files', 'USAGE')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Holds ACCESS SHARE on the tables until the run ends, so none can be dropped or rewritten under it. */
    void lock(java.util.List<Manifest.TableName> tables) throws SQLException {
        final int batch = 500;
        for (int i = 0; i < tables.size(); i += batch) {
            StringBuilder sql = new StringBuilder("LOCK TABLE ");
            for (int j = i; j < Math.min(tables.size(), i + batch); j++) {
                sql.append(j > i ? ", " : "").append("ONLY ").append(tables.get(j).quoted());
            }
            execute(connection, sql.append(" IN ACCESS SHARE MODE").toString());
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
