package io.steep.repl.daemon.rpc;

import io.steep.repl.api.Operation;
import io.steep.repl.api.RunOperation;
import io.steep.repl.health.HealthOperations;
import io.steep.repl.job.JobOperations;
import io.steep.repl.merge.MergeOperations;
import io.steep.repl.node.NodeOperations;
import io.steep.repl.overlap.OverlapOperations;
import io.steep.repl.schema.SchemaOperations;
import io.steep.repl.snapshot.SnapshotOperations;
import java.util.List;

/** Every operation the daemon serves: exactly one per method of the {@link Contract}. */
public final class ServedOperations {
    public static final List<Operation<?, ?>> UNARY = List.of(
            NodeOperations.REGISTER,
            NodeOperations.HEARTBEAT,
            NodeOperations.STATUS,
            NodeOperations.DEREGISTER,
            HealthOperations.CHECK,
            JobOperations.LIST,
            JobOperations.SHOW,
            JobOperations.CANCEL,
            JobOperations.SUBMIT,
            JobOperations.AWAIT,
            SchemaOperations.CAPTURE,
            SchemaOperations.COMPARE,
            SchemaOperations.DIFF,
            OverlapOperations.ANALYZE,
            MergeOperations.STATUS,
            MergeOperations.CONFLICTS,
            MergeOperations.CANCEL,
            SnapshotOperations.LIST,
            SnapshotOperations.PROGRESS,
            SnapshotOperations.CANCEL,
            SnapshotOperations.VERIFY);

    /** Operations that start a run and stream its events. */
    public static final List<RunOperation<?, ?, ?>> RUNS = List.of(
            SnapshotOperations.GENERATE,
            SnapshotOperations.APPLY,
            MergeOperations.START);

    private ServedOperations() {
    }
}
