package io.steep.repl.job;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.ExtensionCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Background jobs as a user sees them: submit, list, show, cancel and wait, all through the
 * extension's functions and the row-level-secured {@code jobs} view. Needs an autocommit
 * connection: a submitted job is invisible to the worker until it is committed.
 */
public final class Jobs {
    /** Longest sleep between two looks at a job being waited for; a progress NOTIFY wakes it sooner. */
    private static final long POLL_MILLIS = 1000;

    private final Connection connection;

    /** Fails when the connected database lacks the extension. */
    public Jobs(Connection connection) throws SQLException {
        ExtensionCheck.require(connection);
        this.connection = connection;
    }

    /**
     * Queues a job.
     *
     * @param paramsJson  a JSON object, or null for {}
     * @param maxAttempts null for the function's default (1)
     */
    public JobView submit(String kind, String paramsJson, Integer maxAttempts) throws SQLException {
        String sql = "SELECT id FROM steep_repl.submit_job(p_kind => ?"
                + (paramsJson == null ? "" : ", p_params => CAST(? AS jsonb)")
                + (maxAttempts == null ? "" : ", p_max_attempts => ?") + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, kind);
            if (paramsJson != null) {
                ps.setString(i++, paramsJson);
            }
            if (maxAttempts != null) {
                ps.setInt(i, maxAttempts);
            }
            return view(ps);
        }
    }

    /**
     * The newest visible jobs first.
     *
     * @param status null for every status
     */
    public List<JobView> list(String status, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + JobView.COLUMNS
                + " FROM steep_repl.jobs WHERE status = COALESCE(CAST(? AS text), status) ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, status);
            ps.setInt(2, limit);
            List<JobView> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobView.from(rs));
                }
            }
            return jobs;
        }
    }

    /** A visible job with its live progress, when the background worker machinery is loaded. */
    public JobDetails show(long id) throws SQLException {
        JobView job = find(id).orElseThrow(() -> notFound(id));
        return new JobDetails(job, bgworkerAvailable() ? progress(id).orElse(null) : null);
    }

    /**
     * Cancels a job: a pending one at once, a running one by request. Cancelling a finished job
     * changes nothing; the server says so in a notice.
     */
    public JobView cancel(long id, Consumer<String> notices) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM steep_repl.cancel_job(?)")) {
            ps.setLong(1, id);
            JobView job = view(ps);
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.accept(w.getMessage());
            }
            return job;
        }
    }

    /**
     * Waits until a job is complete, failed or cancelled.
     *
     * @param timeout null to wait as long as it takes
     * @throws SteepReplException {@link ErrorCode#TIMEOUT} when the job is still unfinished at the timeout
     */
    public JobView await(long id, Duration timeout) throws SQLException {
        long start = System.nanoTime();
        PGConnection pg = connection.unwrap(PGConnection.class);
        execute("LISTEN steep_repl_progress");
        try {
            while (true) {
                JobView job = find(id).orElseThrow(() -> notFound(id));
                if (job.isFinished()) {
                    return job;
                }
                long remainingMillis = timeout == null ? POLL_MILLIS
                        : timeout.minusNanos(System.nanoTime() - start).toMillis();
                if (remainingMillis <= 0) {
                    throw new SteepReplException(ErrorCode.TIMEOUT,
                            "job " + id + " did not finish within " + describe(timeout) + " (it is " + job.status() + ")",
                            "Waiting stopped; the job did not. Look at it later, or cancel it with "
                                    + "SELECT steep_repl.cancel_job(" + id + ").");
                }
                // Blocks until any progress notification arrives or the poll interval passes.
                pg.getNotifications((int) Math.max(1, Math.min(remainingMillis, POLL_MILLIS)));
            }
        } finally {
            execute("UNLISTEN steep_repl_progress");
        }
    }

    /**
     * Runs a job function and reads the job back through the view, so every caller gets the
     * same shape (the view adds the duration; the function's row is the table's).
     */
    private JobView view(PreparedStatement function) throws SQLException {
        long id;
        try (ResultSet rs = function.executeQuery()) {
            rs.next();
            id = rs.getLong("id");
        }
        return find(id).orElseThrow(() -> notFound(id));
    }

    private Optional<JobView> find(long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + JobView.COLUMNS + " FROM steep_repl.jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JobView.from(rs)) : Optional.empty();
            }
        }
    }

    private boolean bgworkerAvailable() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT steep_repl.bgworker_available()");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Optional<JobProgress> progress(long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + JobProgress.COLUMNS + " FROM steep_repl.job_progress(?)")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JobProgress.from(rs)) : Optional.empty();
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
    }

    private static SteepReplException notFound(long id) {
        return new SteepReplException(ErrorCode.ERROR, "job " + id + " does not exist",
                "A role sees only its own jobs (members of pg_monitor see all); "
                        + "SELECT id, kind, status FROM steep_repl.jobs lists the visible ones.");
    }
}
