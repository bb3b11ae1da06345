package io.steep.repl.snapshot.generate;

import io.steep.repl.jdbc.LostClientCheck;
import io.steep.repl.job.JobCancelledException;
import io.steep.repl.job.JobContext;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.Manifest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies every part with up to {@code parallel} connections, each inside the exported snapshot,
 * largest part first so one big table keeps every connection busy. The first failure (or a
 * cancel, or {@link #fail} from outside) stops the others; it is rethrown once all have stopped.
 *
 * <p>Uncompressed parts are written by the server itself when the submitter may write server
 * files ({@link ServerSidePartWriter}); the calling thread then watches those copies: their
 * progress, and cancelling them when the run stops.
 */
final class ParallelCopier {
    private static final long WATCH_MILLIS = 200;

    private final JobContext context;
    private final String snapshotName;
    private final Path directory;
    private final CompressionSpec compression;
    private final ChecksumAlgorithm checksum;
    private final boolean serverSide;
    private final GenerateProgress progress;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ServerCopiesInFlight inFlight = new ServerCopiesInFlight();

    /** @param serverSide let the server write the (uncompressed) data files */
    ParallelCopier(JobContext context, String snapshotName, Path directory, CompressionSpec compression,
            ChecksumAlgorithm checksum, boolean serverSide, GenerateProgress progress) {
        this.context = context;
        this.snapshotName = snapshotName;
        this.directory = directory;
        this.compression = compression;
        this.checksum = checksum;
        this.serverSide = serverSide;
        this.progress = progress;
    }

    /** Stops the copy because of a failure elsewhere in the run; {@link #copy} then throws it. */
    void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    /**
     * @param reused parts an earlier attempt under the same snapshot wrote, by table and part
     *               number: not copied again
     * @param ledger told about every part written
     * @return the written parts of every table, by table number, in part order, each on disk
     */
    Map<Integer, List<Manifest.PartEntry>> copy(SnapshotPlan plan, int parallel,
            Map<Integer, Map<Integer, Manifest.PartEntry>> reused, RunLedger ledger) throws Exception {
        List<SnapshotPlan.Part> parts = new ArrayList<>();
        Map<Integer, Manifest.PartEntry[]> written = new ConcurrentHashMap<>();
        for (SnapshotPlan.Table table : plan.tables()) {
            Manifest.PartEntry[] entries = new Manifest.PartEntry[table.parts().size()];
            written.put(table.number(), entries);
            Map<Integer, Manifest.PartEntry> done = reused.getOrDefault(table.number(), Map.of());
            for (SnapshotPlan.Part part : table.parts()) {
                Manifest.PartEntry entry = done.get(part.part());
                if (entry == null) {
                    parts.add(part);
                } else {
                    entries[part.part()] = entry;
                    progress.copied(entry.rows(), entry.rawBytes());
                    progress.partFinished(table, part);
                }
            }
        }
        parts.sort(Comparator.comparingLong(SnapshotPlan.Part::estimatedBytes).reversed()
                .thenComparingInt(SnapshotPlan.Part::table).thenComparingInt(SnapshotPlan.Part::part));
        ConcurrentLinkedQueue<SnapshotPlan.Part> queue = new ConcurrentLinkedQueue<>(parts);

        int threads = Math.max(1, Math.min(parallel, Math.max(1, parts.size())));
        try (BackgroundFsync fsync = new BackgroundFsync("steep_repl-job-" + context.jobId() + "-fsync")) {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i + 1;
                Thread thread = new Thread(() -> run(worker, plan, queue, written, fsync, ledger),
                        "steep_repl-job-" + context.jobId() + "-copy-" + worker);
                thread.setDaemon(true);
                workers.add(thread);
                thread.start();
            }
            watch(workers);
            Throwable first = failure.get();
            if (first != null) {
                // A cancel surfaces in a copy thread as JobCancelledException or as a cancelled statement.
                if (context.isCancelled()) {
                    throw new JobCancelledException(context.jobId());
                }
                throw first instanceof Exception e ? e : new IllegalStateException(first);
            }
            context.checkCancelled();
            fsync.finish();
        }
        Map<Integer, List<Manifest.PartEntry>> result = new TreeMap<>();
        written.forEach((table, entries) -> result.put(table, List.of(entries)));
        return result;
    }

    /** Until every copy thread has ended: reports server-side progress, cancels copies once the run stops. */
    private void watch(List<Thread> workers) throws InterruptedException {
        boolean cancelled = false;
        for (Thread thread : workers) {
            while (thread.isAlive()) {
                thread.join(WATCH_MILLIS);
                inFlight.poll(bytes -> progress.copied(0, bytes));
                if (!cancelled && (context.isCancelled() || failure.get() != null)) {
                    inFlight.cancelAll();
                    cancelled = true;
                }
            }
        }
    }

    private void run(int worker, SnapshotPlan plan, ConcurrentLinkedQueue<SnapshotPlan.Part> queue,
            Map<Integer, Manifest.PartEntry[]> written, BackgroundFsync fsync, RunLedger ledger) {
        if (failure.get() != null || queue.isEmpty()) {
            return;
        }
        PartWriter.Listener listener = (rows, bytes) -> {
            if (failure.get() != null) {
                throw new StoppedBecauseOfAnotherPart();
            }
            context.checkCancelled();
            progress.copied(rows, bytes);
        };
        try (Connection connection = openInSnapshot(worker)) {
            SnapshotPlan.Part part;
            while (failure.get() == null && (part = queue.poll()) != null) {
                context.checkCancelled();
                SnapshotPlan.Table table = plan.tables().get(part.table() - 1);
                progress.partStarted(table);
                Manifest.PartEntry entry = serverSide
                        ? ServerSidePartWriter.write(connection, table, part, directory, checksum, inFlight, worker,
                                fsync, listener)
                        : PartWriter.write(connection, table, part, directory, compression, checksum, fsync, listener);
                written.get(part.table())[part.part()] = entry;
                ledger.partDone(part.table(), part.part(), entry);
                progress.partFinished(table, part);
            }
        } catch (StoppedBecauseOfAnotherPart e) {
            // the first failure is reported, not this consequence of it
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private Connection openInSnapshot(int worker) throws Exception {
        Connection connection = context.openConnection("steep_repl job " + context.jobId() + " copy " + worker);
        try {
            LostClientCheck.enable(connection, false);
            ExportedSnapshot.importInto(connection, snapshotName);
            return connection;
        } catch (Exception e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Thrown into a copy when another part already failed. */
    private static final class StoppedBecauseOfAnotherPart extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedBecauseOfAnotherPart() {
            super(null, null, false, false);
        }
    }
}
