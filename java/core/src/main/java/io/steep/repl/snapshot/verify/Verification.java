package io.steep.repl.snapshot.verify;

import io.steep.repl.jdbc.ExtensionCheck;
import io.steep.repl.snapshot.SnapshotPaths;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code snapshot verify}: the files are read by the process that runs it, on its own machine.
 * The CLI checks a directory it can read itself, without a database; a daemon checks one on its
 * machine (the node's server) for a remote client, and only where its database role may read
 * snapshot files, by the rule an apply of the same directory meets (docs/snapshots.md, "Paths
 * and privileges"), so a client cannot make the daemon read what that role may not.
 */
public final class Verification {
    private Verification() {
    }

    /** Checks {@code directory} in this process, as the OS user running it. */
    public static VerifyOutcome here(String directory, boolean rows) {
        return VerifyOutcome.of(directory, verifier(rows).check(Path.of(directory)));
    }

    /**
     * Checks {@code directory} for the role of {@code connection}: the path as named must pass
     * {@code steep_repl.check_snapshot_path} for reading and, when it exists, its real path too
     * (no symlink leads out of {@code steep_repl.snapshot_dir}).
     */
    public static VerifyOutcome forRole(Connection connection, String directory, boolean rows) throws SQLException {
        ExtensionCheck.require(connection);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT steep_repl.check_snapshot_path(?, false)")) {
            ps.setString(1, directory);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
        Path named = Path.of(directory);
        Path real = Files.exists(named, LinkOption.NOFOLLOW_LINKS)
                ? SnapshotPaths.resolve(connection, directory, SnapshotPaths.Access.READ) : named;
        return VerifyOutcome.of(directory, verifier(rows).check(real));
    }

    private static SnapshotVerifier verifier(boolean rows) {
        return new SnapshotVerifier(rows, Runtime.getRuntime().availableProcessors(), null);
    }
}
