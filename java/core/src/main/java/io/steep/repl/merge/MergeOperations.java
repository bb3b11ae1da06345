package io.steep.repl.merge;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import io.steep.repl.api.RunOperation;
import io.steep.repl.api.Started;
import io.steep.repl.jdbc.ServerException;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.peer.OpenPair;
import java.sql.SQLException;
import java.util.List;

/** Merge runs ({@code steep-repl merge ...}; gRPC MergeService). */
public final class MergeOperations {
    /**
     * A merge of {@code tables} between NODE-A (which runs it) and NODE-B, its peer.
     *
     * @param noWait return once started
     */
    public record StartRequest(String nodeA, String nodeB, List<String> tables, String strategy, boolean dryRun,
            MergeOptions options, boolean noWait) {
    }

    /**
     * The newest visible runs, or one run with its progress while it is unfinished.
     *
     * @param mergeId one run; null for the newest {@code limit} runs
     */
    public record StatusRequest(String mergeId, int limit) {
    }

    /**
     * What {@code merge status} shows: {@code merges} without a run id; else {@code merge} and,
     * while it is unfinished, its {@code progress}. The fields of the other form are null.
     */
    public record StatusResult(List<MergeRecord> merges, MergeRecord merge, MergeProgress progress) {
    }

    /** The conflicts of a visible run, at most {@code limit}, by table and key. */
    public record ConflictsRequest(String mergeId, int limit) {
    }

    /** One visible run. */
    public record MergeIdRequest(String mergeId) {
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
                    ServerException usage = SqlErrors.asUsageError(e);
                    if (usage != null) {
                        throw usage;
                    }
                    throw e;
                } catch (RuntimeException e) {
                    nodes.close();
                    throw e;
                }
            });

    public static final Operation<StatusRequest, StatusResult> STATUS = Operation.of("MergeService/Status",
            StatusRequest.class, new TypeReference<>() { }, (session, q) -> {
                Merges merges = new Merges(session.connection());
                if (q.mergeId() == null) {
                    return new StatusResult(merges.list(q.limit()), null, null);
                }
                MergeRecord run = merges.runs().get(q.mergeId());
                MergeProgress progress = run.isFinished() ? null
                        : merges.runs().progress(q.mergeId()).stream().findFirst().orElse(null);
                return new StatusResult(null, run, progress);
            });

    public static final Operation<ConflictsRequest, List<MergeDecision>> CONFLICTS = Operation.of(
            "MergeService/Conflicts", ConflictsRequest.class, new TypeReference<>() { },
            (session, q) -> new Merges(session.connection()).conflicts(q.mergeId(), q.limit()));

    /** Cancels a run; the server's notices (e.g. it had already finished) go to the session's. */
    public static final Operation<MergeIdRequest, MergeRecord> CANCEL = Operation.of("MergeService/Cancel",
            MergeIdRequest.class, new TypeReference<>() { },
            (session, q) -> new Merges(session.connection()).runs().cancel(q.mergeId(), session.notices()));

    private MergeOperations() {
    }
}
