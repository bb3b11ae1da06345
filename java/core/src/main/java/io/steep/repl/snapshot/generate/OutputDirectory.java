package io.steep.repl.snapshot.generate;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.manifest.DurableFiles;
import io.steep.repl.snapshot.manifest.SnapshotFiles;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directory a run writes into (docs/snapshots.md, "Directory format"): created with mode
 * 0700 when missing; an existing one must be empty, unless it is this snapshot's own unfinished
 * run (its marker names the snapshot id and there is no manifest), whose files are then removed
 * because they came from another exported snapshot. Anything it does not recognise stops it.
 * A run that no later attempt will continue removes everything it wrote ({@link #discard}), so a
 * new run into the same path finds the directory as it was (docs/snapshots.md, "Resume").
 */
final class OutputDirectory {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** Files an unfinished run may have left in data/ and schema/. */
    private static final Pattern DATA_FILE = Pattern.compile("^[0-9]{4}\\.[0-9]{4}\\.copy(\\.gz|\\.lz4|\\.zst)?((\\.[0-9a-f]{8})?\\.tmp)?$");
    /** More than a marker ever holds (a snapshot id and a newline). */
    private static final int MARKER_BYTES = 128;
    private static final Pattern SCHEMA_FILE = Pattern.compile("^(pre|post)-data\\.sql(\\.tmp)?$");

    private OutputDirectory() {
    }

    /**
     * Makes {@code dir} ready for a run of {@code snapshotId} and writes its marker. An unfinished
     * earlier attempt of the same run is discarded, except, with {@code keepParts}, its finished
     * data files and its {@link RunLedger}, which a retry under the same snapshot may reuse. The
     * files of another run are discarded when {@code abandoned} says that run has ended for good
     * and belongs to the submitter (a worker killed on its last attempt left them).
     *
     * @return whether this call created the directory
     */
    static boolean prepare(Path dir, String snapshotId, boolean keepParts, Predicate<String> abandoned)
            throws IOException {
        boolean created = false;
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(dir + " exists and is not a directory");
            }
            if (!isEmpty(dir)) {
                discardAbandonedRun(dir, snapshotId, abandoned);
            }
            if (!isEmpty(dir)) {
                discardOwnUnfinishedRun(dir, snapshotId, keepParts);
            }
        } else {
            try {
                Files.createDirectory(dir, PRIVATE);
                created = true;
            } catch (FileAlreadyExistsException e) {
                throw refused(dir + " appeared while it was being created");
            }
            DurableFiles.fsyncDirectory(dir.getParent());
        }
        Path marker = dir.resolve(SnapshotLayout.RUN_MARKER);
        Path tmp = DurableFiles.tmpOf(marker);
        try (OutputStream out = DurableFiles.createNew(tmp)) {
            out.write((snapshotId + "\n").getBytes(StandardCharsets.UTF_8));
        }
        DurableFiles.publish(tmp, marker);
        for (String sub : List.of(SnapshotLayout.SCHEMA_DIR, SnapshotLayout.DATA_DIR)) {
            Path path = dir.resolve(sub);
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(path, PRIVATE);
            }
        }
        DurableFiles.fsyncDirectory(dir);
        return created;
    }

    /**
     * Removes everything the unfinished run of {@code snapshotId} wrote into {@code dir}: its files,
     * then its marker (so that a removal cut short still leaves a directory its retry recognises),
     * and the directory itself when this attempt created it. Best effort: what cannot be removed
     * stays, and a later run of the same snapshot recognises it as before.
     */
    static void discard(Path dir, String snapshotId, boolean created) {
        try {
            for (Path file : unfinishedRun(dir, snapshotId, false)) {
                Files.deleteIfExists(file);
            }
            for (String sub : List.of(SnapshotLayout.SCHEMA_DIR, SnapshotLayout.DATA_DIR)) {
                Files.deleteIfExists(dir.resolve(sub));
            }
            Files.deleteIfExists(dir.resolve(SnapshotLayout.RUN_MARKER));
            if (created) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException | SteepReplException e) {
            removeTemporaryFiles(dir);
        }
    }

    /** After the manifest is in place the run is finished: its marker goes. */
    static void finish(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(RunLedger.FILE));
        Files.deleteIfExists(dir.resolve(SnapshotLayout.RUN_MARKER));
        DurableFiles.fsyncDirectory(dir);
    }

    /** Removes the unfinished files of a failed or cancelled run; complete parts stay. */
    static void removeTemporaryFiles(Path dir) {
        for (String sub : List.of(SnapshotLayout.SCHEMA_DIR, SnapshotLayout.DATA_DIR, ".")) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(sub),
                    "*" + SnapshotLayout.TMP_SUFFIX)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // best effort: a .tmp file is never taken for a finished one
            }
        }
    }

    private static void discardAbandonedRun(Path dir, String snapshotId, Predicate<String> abandoned)
            throws IOException {
        String marker = markerOf(dir);
        if (marker != null && !marker.equals(snapshotId) && abandoned.test(marker)) {
            discard(dir, marker, false);
        }
    }

    private static void discardOwnUnfinishedRun(Path dir, String snapshotId, boolean keepParts) throws IOException {
        for (Path file : unfinishedRun(dir, snapshotId, keepParts)) {
            Files.delete(file);
        }
    }

    /**
     * The files of the unfinished run of {@code snapshotId} in {@code dir} that a new attempt
     * removes; with {@code keepParts} not its finished data files and its ledger.
     *
     * @throws SteepReplException when {@code dir} is not such a run or holds anything else
     */
    private static List<Path> unfinishedRun(Path dir, String snapshotId, boolean keepParts) throws IOException {
        String marker = markerOf(dir);
        boolean finished = Files.exists(dir.resolve(SnapshotLayout.MANIFEST), LinkOption.NOFOLLOW_LINKS);
        if (marker != null && !finished && !marker.equals(snapshotId)) {
            throw new SteepReplException(ErrorCode.ERROR, "output directory " + dir + " is not empty: it holds the "
                    + "files of the unfinished snapshot run " + marker, "A run that fails or is cancelled removes "
                    + "what it wrote. If " + marker + " is still running, wait for it or cancel it; once it has "
                    + "ended, a run of its submitter (or of a member of that role) into this path removes what it "
                    + "left. Otherwise choose another path, or have the server's OS user remove the directory.");
        }
        if (marker == null || finished) {
            throw refused("output directory " + dir + " is not empty");
        }
        List<Path> doomed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(SnapshotLayout.DATA_DIR) || name.equals(SnapshotLayout.SCHEMA_DIR)) {
                    collect(entry, name.equals(SnapshotLayout.DATA_DIR) ? DATA_FILE : SCHEMA_FILE, doomed);
                } else if (!name.equals(SnapshotLayout.RUN_MARKER) && !name.startsWith(SnapshotLayout.RUN_MARKER)
                        && !name.equals(SnapshotLayout.MANIFEST + SnapshotLayout.TMP_SUFFIX)) {
                    throw refused("output directory " + dir + " holds " + name
                            + ", which an unfinished run of " + snapshotId + " does not write");
                } else if (!name.equals(SnapshotLayout.RUN_MARKER) && !(keepParts && name.equals(RunLedger.FILE))) {
                    doomed.add(entry);
                }
            }
        }
        if (keepParts) {
            doomed.removeIf(file -> file.getParent().getFileName().toString().equals(SnapshotLayout.DATA_DIR)
                    && !file.getFileName().toString().endsWith(SnapshotLayout.TMP_SUFFIX));
        }
        return doomed;
    }

    /**
     * The snapshot id in the directory's run marker; null when it has none, or not as a regular
     * file holding a snapshot id (what else it holds is never repeated in a message).
     */
    private static String markerOf(Path dir) throws IOException {
        try (InputStream in = SnapshotFiles.newInputStream(dir, SnapshotLayout.RUN_MARKER)) {
            String id = new String(in.readNBytes(MARKER_BYTES), StandardCharsets.UTF_8).trim();
            return GenerateParams.isSnapshotId(id) ? id : null;
        } catch (NoSuchFileException | SnapshotFiles.UnsafeFileException e) {
            return null;
        }
    }

    private static void collect(Path sub, Pattern allowed, List<Path> doomed) throws IOException {
        if (!Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(sub + " is not a directory");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
            for (Path file : files) {
                if (!allowed.matcher(file.getFileName().toString()).matches()
                        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused(file + " was not written by steep-repl; the directory is not an unfinished run");
                }
                doomed.add(file);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static SteepReplException refused(String message) {
        return new SteepReplException(ErrorCode.ERROR, message,
                "Generate writes only into a new or empty directory; choose another path or empty this one.");
    }
}
