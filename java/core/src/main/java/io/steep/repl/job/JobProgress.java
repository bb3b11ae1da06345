package io.steep.repl.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.job_progress()}: a job's live progress from shared memory.
 * Counters are null when the job does not report them.
 */
public record JobProgress(
        long jobId,
        String kind,
        String phase,
        Double percent,
        Long itemsDone,
        Long itemsTotal,
        Long rowsDone,
        Long bytesDone,
        String currentItem,
        Double rowsPerSec,
        Double bytesPerSec,
        OffsetDateTime startedAt,
        OffsetDateTime updatedAt,
        boolean cancelRequested,
        Integer reporterPid) {

    static final String COLUMNS = "job_id, kind, phase, percent, items_done, items_total, rows_done, bytes_done, "
            + "current_item, rows_per_sec, bytes_per_sec, started_at, updated_at, cancel_requested, reporter_pid";

    static JobProgress from(ResultSet rs) throws SQLException {
        return new JobProgress(
                rs.getLong("job_id"),
                rs.getString("kind"),
                rs.getString("phase"),
                rs.getObject("percent", Double.class),
                rs.getObject("items_done", Long.class),
                rs.getObject("items_total", Long.class),
                rs.getObject("rows_done", Long.class),
                rs.getObject("bytes_done", Long.class),
                rs.getString("current_item"),
                rs.getObject("rows_per_sec", Double.class),
                rs.getObject("bytes_per_sec", Double.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getBoolean("cancel_requested"),
                rs.getObject("reporter_pid", Integer.class));
    }
}
