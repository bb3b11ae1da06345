package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * fsyncs finished data files on a thread of its own while the copy goes on, so writing them
 * to disk overlaps with copying instead of following it (the kernel would otherwise keep a
 * small run's files in memory until the end). A part is renamed into place before its fsync:
 * until the manifest exists nothing in the directory counts as a snapshot, and the manifest is
 * written only after {@link #finish} has synced every file.
 */
final class BackgroundFsync implements AutoCloseable {
    private static final Path STOP = Path.of("");

    private final LinkedBlockingQueue<Path> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final Thread thread;

    BackgroundFsync(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void submit(Path file) {
        queue.add(file);
    }

    /** Waits until every submitted file is on disk; throws the first fsync failure. */
    void finish() throws IOException, InterruptedException {
        queue.add(STOP);
        thread.join();
        IOException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    private void run() {
        try {
            Path file;
            while ((file = queue.take()) != STOP) {
                if (failure.get() != null) {
                    continue;
                }
                try {
                    DurableFiles.fsync(file);
                } catch (IOException e) {
                    failure.compareAndSet(null, new IOException("could not fsync " + file + ": " + e.getMessage(), e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread without waiting for the files (a run that failed). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            queue.clear();
            queue.add(STOP);
        }
    }
}
