package io.steep.repl.overlap;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import io.steep.repl.peer.OpenPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Overlap analysis ({@code steep-repl overlap}; gRPC OverlapService). */
public final class OverlapOperations {

    /**
     * @param detail list the keys of unequal rows (keeps the analysis)
     * @param limit  with detail: at most this many keys per table and category; null for the default
     */
    public record AnalyzeRequest(String nodeA, String nodeB, List<String> tables, OverlapOptions options,
            boolean detail, Integer limit) {
    }

    /** The counts per table and, when asked, the keys. */
    public record AnalyzeResult(List<OverlapRow> tables, List<OverlapDetail> details) {
    }

    public static final Operation<AnalyzeRequest, AnalyzeResult> ANALYZE = Operation.of("OverlapService/Analyze",
            AnalyzeRequest.class, new TypeReference<>() { }, (session, q) -> {
                try (OpenPair nodes = OpenPair.open(session, q.nodeA(), q.nodeB())) {
                    List<OverlapRow> rows = OverlapAnalysis.analyze(nodes.nodeA(), nodes.peer(), q.tables(), q.options());
                    return new AnalyzeResult(rows, q.detail() ? details(nodes.nodeA(), rows, q.limit()) : List.of());
                }
            });

    private static List<OverlapDetail> details(Connection nodeA, List<OverlapRow> rows, Integer limit)
            throws SQLException {
        List<OverlapDetail> details = new ArrayList<>();
        for (OverlapRow row : rows) {
            for (OverlapCategory category : OverlapCategory.values()) {
                long total = category.count(row);
                if (total > 0) {
                    details.add(new OverlapDetail(row.tableName(), category.id(), total,
                            OverlapAnalysis.details(nodeA, row.runId(), row.tableName(), category, limit)));
                }
            }
        }
        return details;
    }

    private OverlapOperations() {
    }
}
