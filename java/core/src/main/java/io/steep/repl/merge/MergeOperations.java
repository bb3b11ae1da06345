package io.steep.repl.merge;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.RunOperation;
import io.steep.repl.api.Started;
import io.steep.repl.jdbc.ServerException;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.peer.OpenPair;
import java.sql.SQLException;
import java.util.List;

/** Merge runs ({@code steep-repl merge ...}; gRPC MergeService). */
public final class MergeOperations {
    private static final String INVALID_PARAMETER_VALUE = "22023";

    /**
     * A merge of {@code tables} between NODE-A (which runs it) and NODE-B, its peer.
     *
     * @param noWait return once started
     */
    public record StartRequest(String nodeA, String nodeB, List<String> tables, String strategy, boolean dryRun,
            MergeOptions options, boolean noWait) {
    }

    /**
     * start_merge checks the strategies, options and table names as given: what it refuses as an
     * invalid parameter (SQLSTATE 22023) is a usage error of the request.
     */
    public static final RunOperation<StartRequest, MergeRecord, MergeProgress> START = RunOperation.of(
            "MergeService/Merge", StartRequest.class, Merges.KIND, MergeRecord.class, MergeProgress.class,
            StartRequest::noWait, (session, q) -> {
                OpenPair nodes = OpenPair.open(session, q.nodeA(), q.nodeB());
                try {
                    MergeRecord started = new Merges(nodes.nodeA())
                            .start(new MergeRequest(nodes.peer(), q.tables(), q.strategy(), q.dryRun(), q.options()));
                    return new Started<>(started, nodes.nodeA(), nodes.owned());
                } catch (SQLException e) {
                    nodes.close();
                    if (!INVALID_PARAMETER_VALUE.equals(e.getSQLState())) {
                        throw e;
                    }
                    ServerException refused = SqlErrors.translate(e);
                    throw new ServerException(ErrorCode.USAGE, refused.getMessage(), refused.detail(),
                            refused.hint(), refused.sqlState(), e);
                } catch (RuntimeException e) {
                    nodes.close();
                    throw e;
                }
            });

    private MergeOperations() {
    }
}
