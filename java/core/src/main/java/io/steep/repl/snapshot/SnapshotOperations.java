package io.steep.repl.snapshot;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import io.steep.repl.api.RunOperation;
import io.steep.repl.api.Started;
import io.steep.repl.jdbc.ServerException;
import io.steep.repl.jdbc.SqlErrors;
import io.steep.repl.snapshot.verify.Verification;
import io.steep.repl.snapshot.verify.VerifyOutcome;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Snapshot runs ({@code steep-repl snapshot ...}; gRPC SnapshotService). */
public final class SnapshotOperations {

    /**
     * start_snapshot's arguments; values go as given (the SQL function checks them).
     *
     * @param slotName   null for the default (with keepSlot)
     * @param detach     return once started
     * @param checksum   null for the default
     * @param dataFormat null for the default
     */
    public record GenerateRequest(String nodeId, String output, String compression, int parallel, boolean keepSlot,
            String slotName, boolean detach, String checksum, String dataFormat) {
    }

    /** start_apply's arguments. */
    public record ApplyRequest(String nodeId, String input, int parallel, boolean verify, boolean replace,
            boolean detach) {
    }

    /** @param limit at most this many runs, newest first */
    public record ListRequest(int limit) {
    }

    /** @param snapshotId one run; null for every pending and running one */
    public record ProgressRequest(String snapshotId) {
    }

    public record CancelRequest(String snapshotId) {
    }

    /**
     * @param path the snapshot directory, on the machine of the process that checks it
     * @param rows also decompress every data file and count its rows
     */
    public record VerifyRequest(String path, boolean rows) {
    }

    public static final RunOperation<GenerateRequest, SnapshotRow, SnapshotProgress> GENERATE = RunOperation.of(
            "SnapshotService/Generate", GenerateRequest.class, Snapshots.KIND, SnapshotRow.class,
            SnapshotProgress.class, GenerateRequest::detach, (session, q) -> {
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("node_id", q.nodeId());
                if (q.keepSlot()) {
                    options.put("keep_slot", true);
                }
                if (q.slotName() != null) {
                    options.put("slot_name", q.slotName());
                }
                if (q.checksum() != null) {
                    options.put("checksum", q.checksum());
                }
                if (q.dataFormat() != null) {
                    options.put("data_format", q.dataFormat());
                }
                return Started.in(session, refusedAsUsage(() -> new Snapshots(session.connection())
                        .generate(q.output(), q.compression(), q.parallel(), options)));
            });

    public static final RunOperation<ApplyRequest, SnapshotRow, SnapshotProgress> APPLY = RunOperation.of(
            "SnapshotService/Apply", ApplyRequest.class, Snapshots.KIND, SnapshotRow.class, SnapshotProgress.class,
            ApplyRequest::detach, (session, q) -> {
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("node_id", q.nodeId());
                if (q.replace()) {
                    options.put("replace", true);
                }
                return Started.in(session, refusedAsUsage(() -> new Snapshots(session.connection())
                        .apply(q.input(), q.parallel(), q.verify(), options)));
            });

    public static final Operation<ListRequest, List<SnapshotRow>> LIST = Operation.of("SnapshotService/List",
            ListRequest.class, new TypeReference<>() { },
            (session, q) -> new Snapshots(session.connection()).list(q.limit()));

    public static final Operation<ProgressRequest, List<SnapshotProgress>> PROGRESS = Operation.of(
            "SnapshotService/Progress", ProgressRequest.class, new TypeReference<>() { },
            (session, q) -> new Snapshots(session.connection()).progress(q.snapshotId()));

    public static final Operation<CancelRequest, SnapshotRow> CANCEL = Operation.of("SnapshotService/Cancel",
            CancelRequest.class, new TypeReference<>() { },
            (session, q) -> new Snapshots(session.connection()).cancel(q.snapshotId(), session.notices()));

    /**
     * Served for remote clients: the daemon checks the directory on its machine where its role
     * may read snapshot files. The CLI without --remote checks files it can read itself
     * ({@link Verification#here}), with no database.
     */
    public static final Operation<VerifyRequest, VerifyOutcome> VERIFY = Operation.of("SnapshotService/Verify",
            VerifyRequest.class, new TypeReference<>() { },
            (session, q) -> Verification.forRole(session.connection(), q.path(), q.rows()));

    private SnapshotOperations() {
    }

    private interface Start {
        SnapshotRow call() throws SQLException;
    }

    /**
     * start_snapshot and start_apply check every argument as given: what they refuse as an invalid
     * parameter (SQLSTATE 22023) is a usage error of the request, alike in both modes.
     */
    private static SnapshotRow refusedAsUsage(Start start) throws SQLException {
        try {
            return start.call();
        } catch (SQLException e) {
            ServerException usage = SqlErrors.asUsageError(e);
            if (usage != null) {
                throw usage;
            }
            throw e;
        }
    }
}
