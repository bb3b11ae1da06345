package io.steep.repl.snapshot.generate;

import io.steep.repl.job.JobCancelledException;
import io.steep.repl.job.JobContext;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.Manifest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies every part with up to {@code parallel} connections, each inside the exported snapshot,
 * largest part first so one big table keeps every connection busy. The first failure (or a
 * cancel) stops the others at their next report; it is rethrown once all have stopped.
 */
final class ParallelCopier {
    private final JobContext context;
    private final String snapshotName;
    private final Path directory;
    private final CompressionSpec compression;
    private final GenerateProgress progress;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ParallelCopier(JobContext context, String snapshotName, Path directory, CompressionSpec compression,
            GenerateProgress progress) {
        this.context = context;
        this.snapshotName = snapshotName;
        this.directory = directory;
        this.compression = compression;
        this.progress = progress;
    }

    /**
     * @param allImported run once every copy connection has imported the snapshot (or given up
     *                    before), while the copies go on
     * @return the written parts of every table, by table number, in part order
     */
    Map<Integer, List<Manifest.PartEntry>> copy(SnapshotPlan plan, int parallel, Runnable allImported)
            throws Exception {
        List<SnapshotPlan.Part> parts = new ArrayList<>();
        plan.tables().forEach(t -> parts.addAll(t.parts()));
        parts.sort(Comparator.comparingLong(SnapshotPlan.Part::estimatedBytes).reversed()
                .thenComparingInt(SnapshotPlan.Part::table).thenComparingInt(SnapshotPlan.Part::part));
        ConcurrentLinkedQueue<SnapshotPlan.Part> queue = new ConcurrentLinkedQueue<>(parts);
        Map<Integer, Manifest.PartEntry[]> written = new ConcurrentHashMap<>();
        plan.tables().forEach(t -> written.put(t.number(), new Manifest.PartEntry[t.parts().size()]));

        int threads = Math.max(1, Math.min(parallel, parts.size()));
        CountDownLatch imports = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int worker = i + 1;
            Thread thread = new Thread(() -> run(worker, plan, queue, written, imports),
                    "steep_repl-job-" + context.jobId() + "-copy-" + worker);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
        imports.await();
        allImported.run();
        for (Thread thread : workers) {
            thread.join();
        }
        Throwable first = failure.get();
        if (first != null) {
            // A cancel surfaces in a copy thread as JobCancelledException or as a cancelled statement.
            if (context.isCancelled()) {
                throw new JobCancelledException(context.jobId());
            }
            throw first instanceof Exception e ? e : new IllegalStateException(first);
        }
        context.checkCancelled();
        Map<Integer, List<Manifest.PartEntry>> result = new java.util.TreeMap<>();
        written.forEach((table, entries) -> result.put(table, List.of(entries)));
        return result;
    }

    private void run(int worker, SnapshotPlan plan, ConcurrentLinkedQueue<SnapshotPlan.Part> queue,
            Map<Integer, Manifest.PartEntry[]> written, CountDownLatch imports) {
        if (failure.get() != null || queue.isEmpty()) {
            imports.countDown();
            return;
        }
        try (Connection connection = openInSnapshot(worker, imports)) {
            SnapshotPlan.Part part;
            while (failure.get() == null && (part = queue.poll()) != null) {
                context.checkCancelled();
                SnapshotPlan.Table table = plan.tables().get(part.table() - 1);
                progress.partStarted(table);
                Manifest.PartEntry entry = PartWriter.write(connection, table, part, directory, compression,
                        (rows, bytes) -> {
                            if (failure.get() != null) {
                                throw new StoppedBecauseOfAnotherPart();
                            }
                            context.checkCancelled();
                            progress.copied(rows, bytes);
                        });
                written.get(part.table())[part.part()] = entry;
                progress.partFinished(table, part);
            }
        } catch (StoppedBecauseOfAnotherPart e) {
            // the first failure is reported, not this consequence of it
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private Connection openInSnapshot(int worker, CountDownLatch imports) throws Exception {
        try {
            Connection connection = context.openConnection("steep_repl job " + context.jobId() + " copy " + worker);
            try {
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
        } finally {
            imports.countDown();
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
