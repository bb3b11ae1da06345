package io.steep.repl.snapshot.verify;

import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.manifest.SnapshotFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Checks a snapshot directory against its manifest without a database: every file present
 * with the recorded size and checksum (each file by its own algorithm) and, when asked, every data file decompresses to exactly
 * the recorded number of COPY rows. Reads each file once.
 */
public final class SnapshotVerifier {
    private static final int BUFFER_SIZE = 256 * 1024;

    /**
     * Told after each file, from the thread that checked it; may throw (e.g. a cancellation) to
     * stop the verification.
     */
    @FunctionalInterface
    public interface Listener {
        void fileChecked(String file, long bytes);
    }

    private final boolean decompress;
    private final int threads;
    private final Listener listener;

    /**
     * @param decompress also decompress the data files and count their rows
     * @param listener   null for none
     */
    public SnapshotVerifier(boolean decompress, Listener listener) {
        this(decompress, 1, listener);
    }

    /** @param threads how many files are checked at once (then largest first; one thread goes in manifest order) */
    public SnapshotVerifier(boolean decompress, int threads, Listener listener) {
        this.decompress = decompress;
        this.threads = Math.max(1, threads);
        this.listener = listener == null ? (file, bytes) -> { } : listener;
    }

    /** Sizes and checksums only. */
    public static VerifyReport verify(Path directory) {
        return new SnapshotVerifier(false, null).check(directory);
    }

    public VerifyReport check(Path directory) {
        Manifest manifest;
        try {
            manifest = ManifestReader.read(directory);
        } catch (SteepReplException e) {
            return new VerifyReport(directory, null,
                    List.of(new VerifyProblem(VerifyProblem.Kind.MANIFEST, "manifest.json", e.getMessage())), 0, 0);
        }
        return check(directory, manifest);
    }

    /** The files of {@code directory} against a manifest already read from it (the one its caller acts on). */
    public VerifyReport check(Path directory, Manifest manifest) {
        List<Expected> expected = expectedFiles(manifest);
        CompressionMethod method = manifest.compression().method();
        List<List<VerifyProblem>> problemsOf = new ArrayList<>();
        long[] read = new long[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            problemsOf.add(new ArrayList<>());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            order.add(i);
        }
        if (threads > 1) {
            // Largest first, so the threads finish together.
            order.sort(Comparator.comparingLong((Integer i) -> expected.get(i).bytes()).reversed());
        }
        forEach(order, i -> {
            Expected file = expected.get(i);
            read[i] = checkFile(directory, file, method, problemsOf.get(i));
            listener.fileChecked(file.name(), Math.max(0, read[i]));
        });
        // Problems in manifest order, however the files were scheduled.
        List<VerifyProblem> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        for (int i = 0; i < expected.size(); i++) {
            problems.addAll(problemsOf.get(i));
            if (read[i] >= 0) {
                files++;
                bytes += read[i];
            }
        }
        return new VerifyReport(directory, manifest, problems, files, bytes);
    }

    /** Runs {@code check} for every index, on {@link #threads} threads; the first exception stops the rest. */
    private void forEach(List<Integer> indexes, IntConsumer check) {
        if (threads == 1 || indexes.size() < 2) {
            indexes.forEach(check::accept);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, indexes.size()), r -> {
            Thread thread = new Thread(r, "steep_repl-verify");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : indexes) {
                futures.add(pool.submit(() -> check.accept(i)));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * @param rows   the COPY rows the file holds, or -1 for a schema file
     * @param format how a data file holds them; null for a schema file
     */
    private record Expected(String name, long bytes, ChecksumAlgorithm algorithm, String checksum, long rows,
            DataFormat format) {
    }

    private static List<Expected> expectedFiles(Manifest manifest) {
        List<Expected> files = new ArrayList<>();
        Manifest.FileEntry pre = manifest.schema().preData();
        Manifest.FileEntry post = manifest.schema().postData();
        files.add(new Expected(pre.file(), pre.bytes(), pre.checksumAlgorithm(), pre.checksum(), -1, null));
        files.add(new Expected(post.file(), post.bytes(), post.checksumAlgorithm(), post.checksum(), -1, null));
        for (Manifest.TableEntry table : manifest.tables()) {
            for (Manifest.PartEntry part : table.parts()) {
                files.add(new Expected(part.file(), part.bytes(), part.checksumAlgorithm(), part.checksum(),
                        part.rows(), table.dataFormat()));
            }
        }
        return files;
    }

    /** @return bytes read, or -1 when the file could not be read */
    private long checkFile(Path directory, Expected file, CompressionMethod method, List<VerifyProblem> problems) {
        ChecksumAlgorithm.Running checksum = file.algorithm().start();
        long size;
        long rows = -1;
        String corrupt = null;
        try (SeekableByteChannel channel = SnapshotFiles.open(directory, file.name())) {
            size = channel.size();
            if (size != file.bytes()) {
                problems.add(new VerifyProblem(VerifyProblem.Kind.SIZE_MISMATCH, file.name(),
                        size + " bytes, manifest says " + file.bytes()));
                return -1;
            }
            InputStream in = new ChecksumInputStream(Channels.newInputStream(channel), checksum);
            if (decompress && file.rows() >= 0) {
                try (InputStream copy = method.decompress(nonClosing(in))) {
                    rows = file.format() == DataFormat.BINARY ? BinaryCopyRows.count(copy) : countRows(copy);
                } catch (IOException | RuntimeException e) {
                    corrupt = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
            }
            // The whole stored file goes through the checksum, including anything after a compressed stream.
            drain(in);
        } catch (NoSuchFileException e) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.MISSING_FILE, file.name(), null));
            return -1;
        } catch (SnapshotFiles.UnsafeFileException e) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.NOT_A_REGULAR_FILE, file.name(), e.getReason()));
            return -1;
        } catch (IOException e) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.UNREADABLE, file.name(), e.getMessage()));
            return -1;
        }
        String actual = checksum.hex();
        if (!actual.equals(file.checksum())) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.CHECKSUM_MISMATCH, file.name(),
                    file.algorithm().id() + " " + actual + ", manifest says " + file.checksum()));
        } else if (corrupt != null) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.CORRUPT, file.name(), corrupt));
        } else if (rows >= 0 && rows != file.rows()) {
            problems.add(new VerifyProblem(VerifyProblem.Kind.ROW_COUNT_MISMATCH, file.name(),
                    rows + " rows, manifest says " + file.rows()));
        }
        return size;
    }

    /** COPY text ends every row with a newline; newlines inside values are escaped as {@code \n}. */
    static long countRows(InputStream copyText) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long rows = 0;
        int n;
        while ((n = copyText.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    rows++;
                }
            }
        }
        return rows;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        while (in.read(buffer) >= 0) {
            // only the checksum on the way matters
        }
    }

    /** Passes every byte read (skipped ones too) through the file's checksum. */
    private static final class ChecksumInputStream extends FilterInputStream {
        private final ChecksumAlgorithm.Running checksum;

        ChecksumInputStream(InputStream in, ChecksumAlgorithm.Running checksum) {
            super(in);
            this.checksum = checksum;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                checksum.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                checksum.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            byte[] buffer = new byte[(int) Math.min(n, BUFFER_SIZE)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(0, read);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller closes the file
            }
        };
    }
}
