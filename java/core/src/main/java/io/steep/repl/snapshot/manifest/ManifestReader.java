package io.steep.repl.snapshot.manifest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and checks {@code manifest.json}: a known format_version, the fields a reader relies on,
 * and file names that stay inside the snapshot directory (a manifest is input, not trusted).
 * Format 1 manifests, written before files had a choice of checksum, are read as format 2, and
 * format 2 manifests, written before tables had a choice of data format, hold text tables.
 */
public final class ManifestReader {
    private ManifestReader() {
    }

    /**
     * @throws SteepReplException ERROR when the manifest is missing, unreadable, of a newer
     *                            format or inconsistent
     */
    public static Manifest read(Path snapshotDir) {
        return parse(readBytes(snapshotDir), snapshotDir.resolve(SnapshotLayout.MANIFEST).toString());
    }

    /** A manifest and the SHA-256 of the very bytes it was parsed from (its id, {@link ManifestWriter#manifestSha256}). */
    public record Identified(Manifest manifest, String sha256) {
    }

    /** {@link #read}, reading the file once for both the manifest and its id. */
    public static Identified readIdentified(Path snapshotDir) {
        byte[] bytes = readBytes(snapshotDir);
        return new Identified(parse(bytes, snapshotDir.resolve(SnapshotLayout.MANIFEST).toString()),
                ManifestWriter.manifestSha256(bytes));
    }

    private static byte[] readBytes(Path snapshotDir) {
        Path file = snapshotDir.resolve(SnapshotLayout.MANIFEST);
        try {
            return SnapshotFiles.readAllBytes(snapshotDir, SnapshotLayout.MANIFEST);
        } catch (NoSuchFileException e) {
            throw new SteepReplException(ErrorCode.ERROR, snapshotDir + " is not a snapshot: it has no "
                    + SnapshotLayout.MANIFEST, "A snapshot is complete only once generate wrote its manifest; "
                    + "an interrupted run leaves none. Generate the snapshot again.");
        } catch (SnapshotFiles.UnsafeFileException e) {
            throw new SteepReplException(ErrorCode.ERROR, "cannot read " + file + ": " + e.getReason(),
                    "Nothing was read through it. Put the manifest itself into the snapshot directory.");
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.ERROR, "cannot read " + file + ": " + e.getMessage(), null);
        }
    }

    /** Parses manifest bytes; {@code origin} names them in errors. */
    public static Manifest parse(byte[] bytes, String origin) {
        JsonNode tree;
        try {
            tree = ManifestJson.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid(origin, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw invalid(origin, "it cannot be parsed (" + e.getMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw invalid(origin, "it is not a JSON object");
        }
        JsonNode version = tree.get("format_version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
            throw invalid(origin, "it has no integer format_version");
        }
        if (version.intValue() > Manifest.FORMAT_VERSION) {
            throw new SteepReplException(ErrorCode.ERROR, origin + " has format_version " + version.intValue()
                    + ", newer than this steep-repl reads (" + Manifest.FORMAT_VERSION + ")",
                    "Use the steep-repl version that wrote the snapshot, or a newer one.");
        }
        if (version.intValue() < 1) {
            throw invalid(origin, "format_version " + version.intValue() + " is not a valid version");
        }
        if (version.intValue() == ManifestFormat1.VERSION) {
            ManifestFormat1.upgrade((ObjectNode) tree);
        }
        Manifest manifest;
        try {
            manifest = ManifestJson.MAPPER.treeToValue(tree, Manifest.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw invalid(origin, firstLine(e.getMessage()));
        }
        check(manifest, origin);
        return manifest;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }

    private static void check(Manifest m, String origin) {
        require(m.snapshotId() != null, origin, "snapshot_id is missing");
        require(m.compression() != null, origin, "compression is missing");
        require(m.schema() != null && m.schema().preData() != null && m.schema().postData() != null,
                origin, "schema.pre_data and schema.post_data are required");
        Manifest.FileEntry pre = m.schema().preData();
        Manifest.FileEntry post = m.schema().postData();
        checkFile(pre.file(), pre.checksumAlgorithm(), pre.checksum(), origin);
        checkFile(post.file(), post.checksumAlgorithm(), post.checksum(), origin);
        for (Manifest.TableEntry t : m.tables()) {
            require(t.schema() != null && t.name() != null, origin, "a table has no schema or name");
            for (Manifest.PartEntry p : t.parts()) {
                checkFile(p.file(), p.checksumAlgorithm(), p.checksum(), origin);
            }
        }
        for (Manifest.SequenceEntry s : m.sequences()) {
            require(s.schema() != null && s.name() != null, origin, "a sequence has no schema or name");
        }
    }

    private static void checkFile(String file, ChecksumAlgorithm algorithm, String checksum, String origin) {
        require(SnapshotFiles.isSafeName(file), origin,
                "file name '" + file + "' is not a relative path inside the snapshot directory");
        require(algorithm != null, origin, "file " + file + " has no checksum_algorithm");
        require(algorithm.isValue(checksum), origin, "file " + file + " has no valid " + algorithm.id() + " checksum");
    }

    private static void require(boolean condition, String origin, String problem) {
        if (!condition) {
            throw invalid(origin, problem);
        }
    }

    private static SteepReplException invalid(String origin, String problem) {
        return new SteepReplException(ErrorCode.ERROR, origin + " is not a valid snapshot manifest: " + problem,
                "The manifest is damaged or was not written by steep-repl; generate the snapshot again.");
    }
}
