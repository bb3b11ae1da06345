package io.steep.repl.merge;

import io.steep.repl.run.RunProgress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.merge_progress()}: live numbers from shared memory while a merge
 * runs, its audit row otherwise. A merge reports tables and rows, not bytes or an ETA.
 */
public record MergeProgress(
        String mergeId,
        String status,
        String phase,
        Double percent,
        Integer tablesCompleted,
        Integer tablesTotal,
        String currentTable,
        Long rowsDone,
        OffsetDateTime startedAt,
        String errorMessage) implements RunProgress {

    static final String COLUMNS = "merge_id, status, phase, percent, tables_completed, tables_total, current_table, "
            + "rows_done, started_at, error_message";

    static MergeProgress from(ResultSet rs) throws SQLException {
        return new MergeProgress(
                rs.getString("merge_id"),
                rs.getString("status"),
                rs.getString("phase"),
                rs.getObject("percent", Double.class),
                rs.getObject("tables_completed", Integer.class),
                rs.getObject("tables_total", Integer.class),
                rs.getString("current_table"),
                rs.getObject("rows_done", Long.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getString("error_message"));
    }

    @Override
    public String op() {
        return "merge";
    }

    @Override
    public Double bytesPerSec() {
        return null;
    }

    @Override
    public Duration eta() {
        return null;
    }
}
