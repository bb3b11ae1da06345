package io.steep.repl.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Runs of one kind as a user drives them through the extension's functions, once for every
 * long operation: find, progress, cancel, and the worker's progress notifications. Needs an
 * autocommit connection: a run is invisible to the worker until its start is committed.
 */
public final class Runs<R extends RunRecord, P extends RunProgress> {
    /** The channel the worker announces progress on. */
    public static final String PROGRESS_CHANNEL = "steep_repl_progress";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final RunKind<R, P> kind;

    public Runs(Connection connection, RunKind<R, P> kind) {
        this.connection = connection;
        this.kind = kind;
    }

    public RunKind<R, P> kind() {
        return kind;
    }

    /** A visible run. */
    public Optional<R> find(String runId) throws SQLException {
        List<R> rows = query(kind.findSql(), runId, kind.readRun());
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** A visible run, or a clear error naming where to look. */
    public R get(String runId) throws SQLException {
        return find(runId).orElseThrow(() -> new SteepReplException(ErrorCode.ERROR,
                kind.noun() + " " + runId + " does not exist", kind.notFoundHint()));
    }

    /**
     * Progress of one run, or of every pending and running one.
     *
     * @param runId null for every unfinished run
     */
    public List<P> progress(String runId) throws SQLException {
        return query(kind.progressSql(), runId, kind.readProgress());
    }

    /** Cancels a run: a pending one at once, a running one by request. Notices go to {@code notices}. */
    public R cancel(String runId, Consumer<String> notices) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(kind.cancelSql())) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.accept(w.getMessage());
            }
        }
        return get(runId);
    }

    /** Starts receiving the worker's progress notifications on this connection. */
    public void listen() throws SQLException {
        execute("LISTEN " + PROGRESS_CHANNEL);
    }

    public void unlisten() throws SQLException {
        execute("UNLISTEN " + PROGRESS_CHANNEL);
    }

    /**
     * Waits up to {@code millis} for progress notifications and tells whether one was about
     * {@code run} (by run id or job id). Notifications can be lost (a reconnect, a full
     * queue), so callers re-read the run now and then anyway.
     */
    public boolean awaitNews(R run, int millis) throws SQLException {
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(Math.max(1, millis));
        boolean news = false;
        if (notifications != null) {
            for (PGNotification n : notifications) {
                news |= PROGRESS_CHANNEL.equals(n.getName()) && isAbout(n.getParameter(), kind.notifyKey(), run);
            }
        }
        return news;
    }

    static boolean isAbout(String payload, String notifyKey, RunRecord run) {
        try {
            JsonNode message = JSON.readTree(payload);
            if (message == null || !message.isObject()) {
                return false;
            }
            JsonNode runId = message.get(notifyKey);
            JsonNode jobId = message.get("job_id");
            return (runId != null && runId.asText().equals(run.runId()))
                    || (jobId != null && run.jobId() != null && jobId.canConvertToLong() && jobId.asLong() == run.jobId());
        } catch (IOException e) {
            return false;
        }
    }

    private <T> List<T> query(String sql, String runId, RowReader<T> reader) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, runId);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
