package io.steep.repl.overlap;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One table's overlap between this node and a peer (docs/overlap.md): rows equal on both,
 * conflicting, on one side only, and what the analysis fetched from the peer.
 *
 * @param runId the kept analysis, or null when it was not kept
 */
public record OverlapRow(
        String tableName,
        long localRows,
        long remoteRows,
        long matches,
        long conflicts,
        long localOnly,
        long remoteOnly,
        int buckets,
        int bucketsDiffering,
        long rowsFetched,
        long bytesFetched,
        double seconds,
        Long runId) {

    static final String COLUMNS = "table_name, local_rows, remote_rows, matches, conflicts, local_only, remote_only, "
            + "buckets, buckets_differing, rows_fetched, bytes_fetched, "
            + "pg_catalog.date_part('epoch', duration)::pg_catalog.float8 AS seconds, run_id";

    static OverlapRow from(ResultSet rs) throws SQLException {
        return new OverlapRow(rs.getString("table_name"), rs.getLong("local_rows"), rs.getLong("remote_rows"),
                rs.getLong("matches"), rs.getLong("conflicts"), rs.getLong("local_only"), rs.getLong("remote_only"),
                rs.getInt("buckets"), rs.getInt("buckets_differing"), rs.getLong("rows_fetched"),
                rs.getLong("bytes_fetched"), rs.getDouble("seconds"), (Long) rs.getObject("run_id"));
    }
}
