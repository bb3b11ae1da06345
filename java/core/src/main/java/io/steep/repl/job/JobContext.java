package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Everything a {@link JobHandler} gets for one run: the job row, a connection of its own that
 * already runs as the submitting role, a progress channel and the cancel flag.
 */
public final class JobContext {
    private final Job job;
    private final Connection connection;
    private final ProgressSink progress;
    private final BooleanSupplier cancelled;
    private final JobConnections connections;

    /** A context that cannot open further connections. */
    public JobContext(Job job, Connection connection, ProgressSink progress, BooleanSupplier cancelled) {
        this(job, connection, progress, cancelled, JobConnections.NONE);
    }

    public JobContext(Job job, Connection connection, ProgressSink progress, BooleanSupplier cancelled,
            JobConnections connections) {
        this.job = Objects.requireNonNull(job, "job");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    public Job job() {
        return job;
    }

    public long jobId() {
        return job.id();
    }

    /** The job's params object; an empty object when the row has none. */
    public JsonNode params() {
        return job.params() != null ? job.params() : JsonNodeFactory.instance.objectNode();
    }

    /**
     * The job's own connection, in autocommit mode, the submitter's session for good (see
     * {@link JobSession}), so every statement is checked against that role's privileges and
     * nothing it evaluates can leave the role. It is closed when the job ends.
     */
    public Connection connection() {
        return connection;
    }

    /**
     * A further autocommit connection, the submitter's session like {@link #connection()}, for work
     * in parallel. The caller closes it; the worker closes any still open when the job ends, and
     * a cancel request that the handler ignores cancels its running statement too.
     */
    public Connection openConnection(String applicationName) throws SQLException {
        return connections.open(applicationName);
    }

    /**
     * A logical replication connection as the worker's superuser, not as the submitter (see
     * {@link JobConnections#openReplication}): check the submitter's right before using it.
     */
    public Connection openReplicationConnection(String applicationName) throws SQLException {
        return connections.openReplication(applicationName);
    }

    /** A connection as the worker's own superuser for internal calls (see {@link JobConnections#openInternal}). */
    public Connection openInternalConnection(String applicationName) throws SQLException {
        return connections.openInternal(applicationName);
    }

    /** How a subprocess reaches the server for the submitter (see {@link ServerAccess}). */
    public ServerAccess serverAccess() {
        return connections.serverAccess();
    }

    /** Publishes progress; cheap enough to call for every row batch (the worker throttles). */
    public void progress(ProgressUpdate update) {
        progress.report(Objects.requireNonNull(update, "update"));
    }

    /** Shorthand for the common case of a phase, a percentage and the item being worked on. */
    public void progress(String phase, double percent, String currentItem) {
        progress(ProgressUpdate.phase(phase).withPercent(percent).withCurrentItem(currentItem));
    }

    /** True once somebody cancelled the job or the worker is shutting down. */
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /** Throws {@link JobCancelledException} when {@link #isCancelled()}; call it between units of work. */
    public void checkCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException(job.id());
        }
    }
}
