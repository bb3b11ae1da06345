package io.steep.repl.snapshot.apply;

import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an apply of one snapshot has already done in this database, kept in
 * {@code steep_repl.snapshot_loads} so that a rerun after a failure or a killed worker resumes
 * instead of starting over. Every row is written in the same transaction as the work it
 * records (the schema build, a table's claim, a part's COPY), so a row exists exactly when the
 * work committed: a rerun can neither skip work that was lost nor redo work that was kept.
 * Rows are per role (row-level security) and are deleted when the apply completes, so a later
 * apply of the same snapshot starts afresh.
 */
final class LoadLedger {
    static final String SCHEMA = "schema";
    static final String CLAIM = "claim";
    static final String PART = "part";
    static final String POST = "post";

    private final String snapshotId;
    private final Set<String> done;

    private LoadLedger(String snapshotId, Set<String> done) {
        this.snapshotId = snapshotId;
        this.done = done;
    }

    /** A ledger with nothing recorded, for a first run. */
    static LoadLedger empty(String snapshotId) {
        return new LoadLedger(snapshotId, new HashSet<>());
    }

    /** Reads what the submitting role recorded earlier for this snapshot. */
    static LoadLedger read(Connection connection, String snapshotId) throws SQLException {
        Set<String> done = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT step, table_schema, table_name, part "
                + "FROM steep_repl.snapshot_loads WHERE snapshot_id = ? AND loaded_by = current_user")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        return new LoadLedger(snapshotId, done);
    }

    boolean schemaBuilt() {
        return done.contains(key(SCHEMA, "", "", -1));
    }

    boolean claimed(Manifest.TableName table) {
        return done.contains(key(CLAIM, table.schema(), table.name(), -1));
    }

    boolean partLoaded(Manifest.TableName table, int part) {
        return done.contains(key(PART, table.schema(), table.name(), part));
    }

    /** Whether object number {@code index} of post-data.sql was built. */
    boolean postBuilt(int index) {
        return done.contains(key(POST, "", "", index));
    }

    /** Whether any work of this snapshot was recorded for the table. */
    boolean touched(Manifest.TableEntry table) {
        Manifest.TableName name = table.tableName();
        if (claimed(name)) {
            return true;
        }
        for (int p = 0; p < table.parts().size(); p++) {
            if (partLoaded(name, p)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return done.isEmpty();
    }

    /** Records a step inside the caller's transaction. */
    void record(Connection connection, String step, Manifest.TableName table, int part, Long rows)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO steep_repl.snapshot_loads "
                + "(snapshot_id, step, table_schema, table_name, part, rows) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, snapshotId);
            ps.setString(2, step);
            ps.setString(3, table == null ? "" : table.schema());
            ps.setString(4, table == null ? "" : table.name());
            ps.setInt(5, part);
            if (rows == null) {
                ps.setNull(6, java.sql.Types.BIGINT);
            } else {
                ps.setLong(6, rows);
            }
            ps.executeUpdate();
        }
    }

    /**
     * The rows COPY reported for each table's parts, this run's and earlier runs' alike: every
     * part's count was checked against the manifest in the part's own transaction, so this is
     * what the table holds from the snapshot, without reading the table again.
     */
    static Map<Manifest.TableName, Long> loadedRows(Connection connection, String snapshotId) throws SQLException {
        Map<Manifest.TableName, Long> rows = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_schema, table_name, "
                + "pg_catalog.sum(rows)::bigint FROM steep_repl.snapshot_loads WHERE snapshot_id = ? "
                + "AND loaded_by = current_user AND step = '" + PART + "' GROUP BY table_schema, table_name")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(new Manifest.TableName(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return rows;
    }

    /** Forgets everything recorded for this snapshot by the current role. */
    static void clear(Connection connection, String snapshotId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM steep_repl.snapshot_loads WHERE snapshot_id = ? AND loaded_by = current_user")) {
            ps.setString(1, snapshotId);
            ps.executeUpdate();
        }
    }

    private static String key(String step, String schema, String table, int part) {
        // A separator that cannot occur in a name (names never contain NUL).
        return step + '\0' + schema + '\0' + table + '\0' + part;
    }
}
