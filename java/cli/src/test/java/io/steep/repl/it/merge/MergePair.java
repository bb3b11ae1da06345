package io.steep.repl.it.merge;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The two clusters a merge IT class shares: {@code local} with steep_repl, dblink and the
 * worker, and a plain {@code peer} without the extension, their servers set to other time
 * zones, date and interval styles, float digits and bytea output, so that a text form that
 * depends on a setting shows up as a false difference.
 */
public final class MergePair implements AutoCloseable {
    /** The session settings under which {@link #rows} prints values: one text per value on either node. */
    private static final String[] CANONICAL = {"SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'",
        "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 3", "SET bytea_output = 'hex'"};

    public final PgCluster local;
    public final PgCluster peer;

    private MergePair(PgCluster local, PgCluster peer) {
        this.local = local;
        this.peer = peer;
    }

    /** Starts both clusters; {@code extra} settings (name, value, ...) go to both, e.g. track_commit_timestamp. */
    public static MergePair start(String name, String... extra) {
        List<String> localSettings = new ArrayList<>(List.of("timezone", "Pacific/Auckland", "datestyle", "SQL, DMY"));
        List<String> peerSettings = new ArrayList<>(List.of("timezone", "America/Caracas",
                "intervalstyle", "sql_standard", "extra_float_digits", "-2", "bytea_output", "escape"));
        localSettings.addAll(List.of(extra));
        peerSettings.addAll(List.of(extra));
        PgCluster local = WorkerClusters.start(name + "-local", localSettings.toArray(String[]::new));
        PgCluster peer = null;
        try {
            peer = PgCluster.builder().name(name + "-peer").preload(false)
                    .settings(peerSettings.toArray(String[]::new)).start();
            local.exec("CREATE EXTENSION dblink");
            return new MergePair(local, peer);
        } catch (RuntimeException e) {
            PgCluster.closeAll(local, peer);
            throw e;
        }
    }

    @Override
    public void close() {
        PgCluster.closeAll(local, peer);
    }

    /** Runs each statement on both nodes, as the superuser. */
    public void both(String... statements) {
        local.exec(statements);
        peer.exec(statements);
    }

    /** The peer as a superuser's connection string over its socket (no password). */
    public String peerInfo() {
        return peer.conninfo("postgres", PgCluster.SUPERUSER);
    }

    /** A start_merge call with the peer filled in: {@code args} follow the peer, e.g. "ARRAY['public.t'], 'manual'". */
    String startMerge(String args) {
        return "steep_repl.start_merge('" + peerInfo() + "', " + args + ")";
    }

    /** Starts a merge as the superuser ({@link #startMerge} arguments), waits, and returns status and error. */
    List<String> merge(String args) {
        return outcome(local.queryString("SELECT merge_id FROM " + startMerge(args)));
    }

    /** Waits for a merge run and returns its status and error message ('' for none). */
    List<String> outcome(String mergeId) {
        return local.query("postgres", "SELECT status, coalesce(error_message, '') FROM steep_repl.wait_merge('"
                + mergeId + "', '2 minutes')").get(0);
    }

    /** The id of the newest merge run. */
    String lastMerge() {
        return local.queryString("SELECT merge_id FROM steep_repl.merge_audit_log ORDER BY created_at DESC LIMIT 1");
    }

    /** analyze_overlap of one table: local_only, remote_only, conflicts. */
    public List<String> overlap(String table) {
        return local.query("postgres", "SELECT local_only, remote_only, conflicts FROM steep_repl.analyze_overlap('"
                + peerInfo() + "', ARRAY[" + literal(table) + "])").get(0);
    }

    /**
     * Every row of {@code table} on {@code node} as text, printed under the same settings on
     * either node and sorted bytewise, so that two nodes' contents compare with equals.
     */
    public static List<String> rows(PgCluster node, String table) {
        try (Connection c = node.connect(); Statement s = c.createStatement()) {
            for (String set : CANONICAL) {
                s.execute(set);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT x FROM (SELECT steep_row::text AS x FROM " + table
                    + " steep_row) s ORDER BY x COLLATE \"C\"")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A SQL string literal. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
