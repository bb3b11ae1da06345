package io.steep.repl.worker;

import io.steep.repl.job.ProgressUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Publishes progress on a connection of its own in autocommit mode: a NOTIFY is delivered at
 * commit, so it must never share a transaction with the job's work. Used by one thread only
 * (the reporter's); reconnects on the next call after the connection broke.
 */
final class SqlProgressStore implements ProgressStore {
    /** The shared-memory slot has a fixed size anyway; no point sending more than this. */
    static final int MAX_ITEM_CHARS = 1000;

    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private Connection connection;

    SqlProgressStore(Opener opener) {
        this.opener = opener;
    }

    @Override
    public void write(long jobId, String kind, ProgressUpdate update, Double rowsPerSec, Double bytesPerSec,
            boolean cancelRequested) throws SQLException {
        // The last argument, the job's submitter, is read when the report claims a slot: it
        // decides who may see the job's progress (job_progress()).
        run("SELECT steep_repl._report_progress(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "(SELECT q.submitted_by::pg_catalog.oid FROM steep_repl.work_queue q WHERE q.id = ?))", ps -> {
            ps.setLong(1, jobId);
            ps.setString(2, kind);
            ps.setString(3, update.phase());
            ps.setObject(4, update.percent(), Types.DOUBLE);
            ps.setString(5, ErrorMessages.truncate(update.currentItem(), MAX_ITEM_CHARS));
            ps.setObject(6, update.itemsDone(), Types.BIGINT);
            ps.setObject(7, update.itemsTotal(), Types.BIGINT);
            ps.setObject(8, update.rowsDone(), Types.BIGINT);
            ps.setObject(9, update.bytesDone(), Types.BIGINT);
            ps.setObject(10, rowsPerSec, Types.DOUBLE);
            ps.setObject(11, bytesPerSec, Types.DOUBLE);
            ps.setBoolean(12, cancelRequested);
            ps.setLong(13, jobId);
        });
    }

    @Override
    public void sendNotification(String payload) throws SQLException {
        run("SELECT pg_catalog.pg_notify('steep_repl_progress', ?)", ps -> ps.setString(1, payload));
    }

    @Override
    public void release(long jobId) throws SQLException {
        run("SELECT steep_repl._finish_progress(?)", ps -> ps.setLong(1, jobId));
    }

    @Override
    public void close() {
        closeQuietly();
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void run(String sql, Binder binder) throws SQLException {
        try {
            if (connection == null) {
                connection = opener.open();
            }
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                ps.execute();
            }
        } catch (SQLException e) {
            if (connection != null && !connection.isValid(1)) {
                closeQuietly();
            }
            throw e;
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken; the next call opens a new one
            }
            connection = null;
        }
    }
}
