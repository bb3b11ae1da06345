package io.steep.repl.snapshot;

import io.steep.repl.api.RunOperation;
import io.steep.repl.api.Started;
import java.util.LinkedHashMap;
import java.util.Map;

/** Snapshot runs ({@code steep-repl snapshot ...}; gRPC SnapshotService). */
public final class SnapshotOperations {

    /**
     * start_snapshot's arguments; values go as given (the SQL function checks them).
     *
     * @param slotName null for the default (with keepSlot)
     * @param detach   return once started
     */
    public record GenerateRequest(String nodeId, String output, String compression, int parallel, boolean keepSlot,
            String slotName, boolean detach) {
    }

    /** start_apply's arguments. */
    public record ApplyRequest(String nodeId, String input, int parallel, boolean verify, boolean replace,
            boolean detach) {
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
                return Started.in(session, new Snapshots(session.connection())
                        .generate(q.output(), q.compression(), q.parallel(), options));
            });

    public static final RunOperation<ApplyRequest, SnapshotRow, SnapshotProgress> APPLY = RunOperation.of(
            "SnapshotService/Apply", ApplyRequest.class, Snapshots.KIND, SnapshotRow.class, SnapshotProgress.class,
            ApplyRequest::detach, (session, q) -> {
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("node_id", q.nodeId());
                if (q.replace()) {
                    options.put("replace", true);
                }
                return Started.in(session, new Snapshots(session.connection())
                        .apply(q.input(), q.parallel(), q.verify(), options));
            });

    private SnapshotOperations() {
    }
}
