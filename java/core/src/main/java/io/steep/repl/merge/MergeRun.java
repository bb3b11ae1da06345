package io.steep.repl.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.ProgressUpdate;
import io.steep.repl.job.RunShape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One merge job, in the submitter's job session: plan and check (this node, then the peer),
 * then each table in its own transaction on both nodes, parents first (docs/merge.md). The
 * data moves through the session's dblink connection to the peer, so the peer sees the
 * submitter's own credentials (a user mapping, or a password the server's ~/.pgpass holds)
 * and the worker never handles them.
 *
 * <p>A table's changes commit here first, with its decisions, then on the peer. A failure
 * before that leaves both nodes as they were for this table; between the two commits (a cut
 * connection, a killed worker) the peer's half is missing, which the next run finds and
 * merges again: no row is lost or written twice, because every row is paired by its key.
 */
final class MergeRun {
    /** The session's dblink connection to the peer, shared by analysis and merge. */
    private static final String PEER_CONNECTION = "steep_repl_merge_peer";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SQLSTATE of a cancelled statement. */
    private static final String QUERY_CANCELED = "57014";
    /** How often the peer's COMMIT is sent when cancels keep landing on it (the worker repeats them every 2 s). */
    private static final int END_ATTEMPTS = 5;
    private static final String[] COUNTS = {"matches", "local_only", "remote_only", "conflicts", "rows_to_peer",
        "rows_to_local", "conflicts_resolved", "conflicts_left"};

    private final JobContext context;
    private final MergeParams params;
    private final Connection session;

    MergeRun(JobContext context, MergeParams params) {
        this.context = context;
        this.params = params;
        this.session = context.connection();
    }

    JsonNode run() throws Exception {
        String token = newToken();
        try (Connection internal = context.openInternalConnection("steep_repl merge");
             PreparedStatement begin = internal.prepareStatement("SELECT steep_repl._merge_begin(?, ?)")) {
            begin.setString(1, params.mergeId());
            begin.setBytes(2, sha256(token));
            begin.execute();
        }
        report(ProgressUpdate.phase("checking").withPercent(0));
        List<PlannedTable> plan = plan();
        String target = connectPeer();
        checkPeer(plan, target);

        ObjectNode totals = JSON.createObjectNode();
        for (String count : COUNTS) {
            totals.put(count, 0L);
        }
        int done = 0;
        for (PlannedTable table : plan) {
            context.checkCancelled();
            report(ProgressUpdate.phase(params.dryRun() ? "planning" : "merging")
                    .withPercent(100.0 * done / plan.size()).withItems(done, plan.size())
                    .withCurrentItem(table.name()).withRows(rows(totals)));
            JsonNode counts = mergeTable(table, token, target);
            for (String count : COUNTS) {
                totals.put(count, totals.get(count).asLong() + counts.path(count).asLong());
            }
            done++;
        }
        call("SELECT steep_repl._peer_disconnect(?)", PEER_CONNECTION);
        report(ProgressUpdate.phase("finishing").withPercent(100).withItems(done, plan.size()).withRows(rows(totals)));
        ObjectNode result = JSON.createObjectNode();
        result.put("merge_id", params.mergeId());
        result.put("dry_run", params.dryRun());
        result.put("tables_total", plan.size());
        result.put("tables_completed", done);
        result.setAll(totals);
        return result;
    }

    private List<PlannedTable> plan() throws SQLException {
        List<PlannedTable> plan = new ArrayList<>();
        try (PreparedStatement st = session.prepareStatement(
                "SELECT table_name, relation, strategy, timestamp_column, self_referencing "
                        + "FROM steep_repl._merge_plan(?, ?, ?, ?::pg_catalog.jsonb) ORDER BY merge_order")) {
            st.setArray(1, session.createArrayOf("text", params.tables().toArray()));
            st.setString(2, params.strategy());
            st.setBoolean(3, params.dryRun());
            st.setString(4, params.options());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    plan.add(new PlannedTable(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5)));
                }
            }
        }
        return plan;
    }

    private String connectPeer() throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT steep_repl._overlap_connect(?, ?)")) {
            st.setString(1, params.peer());
            st.setString(2, PEER_CONNECTION);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void checkPeer(List<PlannedTable> plan, String target) throws SQLException {
        try (PreparedStatement st = session.prepareStatement(
                "SELECT steep_repl._merge_check_peer(?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, PEER_CONNECTION);
            st.setString(2, params.peer());
            st.setString(3, target);
            st.setArray(4, session.createArrayOf("text", plan.stream().map(PlannedTable::relation).toArray()));
            st.setArray(5, session.createArrayOf("text", plan.stream().map(PlannedTable::strategy).toArray()));
            st.setArray(6, session.createArrayOf("text", plan.stream().map(PlannedTable::timestampColumn).toArray()));
            st.setBoolean(7, params.dryRun());
            st.execute();
        }
    }

    /**
     * One table: its own transaction here and on the peer; here commits first (see the class
     * comment). Before that commit the run checks for a cancel and that the peer's transaction is
     * still open, so a cancel or a lost peer up to then rolls the table back on both nodes.
     */
    private JsonNode mergeTable(PlannedTable table, String token, String target) throws Exception {
        JsonNode counts;
        session.setAutoCommit(false);
        try {
            try (PreparedStatement st = session.prepareStatement(
                    "SELECT steep_repl._merge_table(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::pg_catalog.jsonb)")) {
                st.setString(1, params.mergeId());
                st.setString(2, token);
                st.setString(3, PEER_CONNECTION);
                st.setString(4, target);
                st.setString(5, table.name());
                st.setString(6, table.strategy());
                st.setString(7, table.timestampColumn());
                st.setBoolean(8, table.selfReferencing());
                st.setBoolean(9, params.dryRun());
                st.setString(10, params.options());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    counts = JSON.readTree(rs.getString(1));
                }
            }
            context.checkCancelled();
            if (!params.dryRun()) {
                try (PreparedStatement st = session.prepareStatement("SELECT steep_repl._merge_peer_ready(?, ?, ?)")) {
                    st.setString(1, PEER_CONNECTION);
                    st.setString(2, target);
                    st.setString(3, table.name());
                    st.execute();
                }
            }
            session.commit();
        } catch (Exception e) {
            session.rollback();
            session.setAutoCommit(true);
            endPeerQuietly();
            throw rolledBack(table, e);
        }
        session.setAutoCommit(true);
        endPeer(table, target);
        return counts;
    }

    /**
     * Ends the peer's transaction once this node has committed: a commit (a dry run's read-only
     * transaction is rolled back). A cancel of the job that lands on this statement is not a
     * reason to leave the peer's half out: the COMMIT is sent again, and a COMMIT of a
     * transaction that did commit answers COMMIT too.
     */
    private void endPeer(PlannedTable table, String target) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                endPeerTransaction(!params.dryRun());
                return;
            } catch (SQLException e) {
                if (QUERY_CANCELED.equals(e.getSQLState()) && attempt < END_ATTEMPTS) {
                    continue;
                }
                throw withoutCause(new SQLException("table " + table.name() + " was merged here but not on the peer "
                        + target + " (" + message(e) + "); run the merge again: it converges", e.getSQLState()), e);
            }
        }
    }

    /** A table's failure as the run reports it: which table, that neither node kept any of it, and why. */
    private static Exception rolledBack(PlannedTable table, Exception e) {
        if (!(e instanceof SQLException sql) || QUERY_CANCELED.equals(sql.getSQLState())) {
            return e;   // a cancel (JobCancelledException or a cancelled statement) ends the run as cancelled
        }
        return withoutCause(new SQLException(message(sql) + " (table " + table.name() + " was rolled back on both "
                + "nodes; tables merged before it stay merged; run the merge again: it converges)", sql.getSQLState()), sql);
    }

    /**
     * The original failure rides along as suppressed, not as the cause: the job's error message
     * would append a cause's text, which pgjdbc fills with the server's detail and hint.
     */
    private static SQLException withoutCause(SQLException reported, SQLException original) {
        reported.addSuppressed(original);
        return reported;
    }

    /** The server's own message (pgjdbc's getMessage adds "ERROR:" and the hint and position). */
    private static String message(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        return server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
    }

    /** Rolls back the peer's half after a failure here; a broken connection has nothing to roll back. */
    private void endPeerQuietly() {
        try {
            endPeerTransaction(false);
        } catch (SQLException ignored) {
            // the failure being reported matters more; the peer rolls back when the connection goes
        }
    }

    /** Commits (or rolls back) the peer's transaction of the table just merged here. */
    private void endPeerTransaction(boolean commit) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT steep_repl._merge_peer_end(?, ?)")) {
            st.setString(1, PEER_CONNECTION);
            st.setBoolean(2, commit);
            st.execute();
        }
    }

    private void call(String sql, String argument) throws SQLException {
        try (PreparedStatement st = session.prepareStatement(sql)) {
            st.setString(1, argument);
            st.execute();
        }
    }

    private void report(ProgressUpdate update) {
        context.progress(RunShape.MERGE.of(update, params.mergeId()));
    }

    private static long rows(ObjectNode totals) {
        return totals.get("rows_to_peer").asLong() + totals.get("rows_to_local").asLong();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
