package io.steep.repl.snapshot.manifest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Writes {@code manifest.json} atomically: {@code manifest.json.tmp}, fsync, rename, directory fsync. */
public final class ManifestWriter {
    private ManifestWriter() {
    }

    /** @return the hex SHA-256 of the manifest file as written */
    public static String write(Path snapshotDir, Manifest manifest) throws IOException {
        byte[] json = ManifestJson.MAPPER.writeValueAsBytes(manifest);
        Path target = snapshotDir.resolve(SnapshotLayout.MANIFEST);
        Path tmp = DurableFiles.tmpOf(target);
        try (OutputStream out = DurableFiles.createNew(tmp)) {
            out.write(json);
        }
        DurableFiles.publish(tmp, target);
        return manifestSha256(json);
    }

    /**
     * The manifest's own id in {@code steep_repl.snapshots.manifest_sha256}: always SHA-256,
     * whichever checksum its files have.
     */
    public static String manifestSha256(byte[] manifestBytes) {
        return ChecksumAlgorithm.SHA256.of(manifestBytes);
    }
}
