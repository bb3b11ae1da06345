package io.steep.repl.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.job.JsonColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * One row of {@code steep_repl.merge_decisions}: what a merge did (or would do) with one key.
 *
 * @param keyText   the key as analyze_overlap compares it
 * @param localRow  the row on the node that ran the merge, null when it has none
 * @param remoteRow the peer's row, null when it has none
 */
public record MergeDecision(
        String tableName,
        String keyText,
        String category,
        String resolution,
        String strategy,
        JsonNode localRow,
        JsonNode remoteRow,
        boolean dryRun,
        String decidedBy,
        OffsetDateTime decidedAt) {

    static final String COLUMNS = "table_name, key_text, category, resolution, strategy, local_row, remote_row, "
            + "dry_run, decided_by::text AS decided_by, decided_at";

    static MergeDecision from(ResultSet rs) throws SQLException {
        return new MergeDecision(
                rs.getString("table_name"),
                rs.getString("key_text"),
                rs.getString("category"),
                rs.getString("resolution"),
                rs.getString("strategy"),
                JsonColumn.read(rs, "local_row"),
                JsonColumn.read(rs, "remote_row"),
                rs.getBoolean("dry_run"),
                rs.getString("decided_by"),
                rs.getObject("decided_at", OffsetDateTime.class));
    }
}
