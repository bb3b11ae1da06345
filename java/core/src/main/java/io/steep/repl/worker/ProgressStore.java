package io.steep.repl.worker;

import io.steep.repl.job.ProgressUpdate;
import java.sql.SQLException;

/** Where published progress goes; the SQL implementation is {@link SqlProgressStore}. */
interface ProgressStore extends AutoCloseable {

    /** Overwrites the job's shared-memory slot (steep_repl._report_progress). */
    void write(long jobId, String kind, ProgressUpdate update, Double rowsPerSec, Double bytesPerSec,
            boolean cancelRequested) throws SQLException;

    /** Sends one message on steep_repl_progress. */
    void sendNotification(String payload) throws SQLException;

    /** Frees the job's slot (steep_repl._finish_progress). */
    void release(long jobId) throws SQLException;

    @Override
    void close();
}
