package io.steep.repl.snapshot.apply;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the submitting role may read a snapshot directory on the server: as a member of
 * pg_read_server_files (superusers are), or because the directory's real path, symlinks
 * resolved, lies under {@code steep_repl.snapshot_dir}. Checked by the worker as the submitter,
 * since a job can be queued by anybody through submit_job.
 */
final class SnapshotReadAccess {
    private SnapshotReadAccess() {
    }

    /** @return the directory's real path */
    static Path check(Connection connection, String given) throws SQLException {
        Path path = Path.of(given);
        if (!path.isAbsolute()) {
            throw denied("snapshot path \"" + given + "\" is not absolute", null);
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw denied("snapshot path \"" + given + "\" contains a \"..\" component", null);
            }
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new SteepReplException(ErrorCode.ERROR, "snapshot directory " + given + " does not exist",
                    "Give the directory that generate wrote, as seen by the database server.");
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.ERROR, "cannot resolve snapshot directory " + given + ": "
                    + e.getMessage(), null);
        }
        if (!Files.isDirectory(real)) {
            throw new SteepReplException(ErrorCode.ERROR, "snapshot path " + given + " is not a directory", null);
        }
        String snapshotDir;
        boolean reader;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_catalog.pg_has_role(current_user, 'pg_read_server_files', 'USAGE'), "
                        + "pg_catalog.current_setting('steep_repl.snapshot_dir', true)")) {
            rs.next();
            reader = rs.getBoolean(1);
            snapshotDir = rs.getString(2);
        }
        if (reader) {
            return real;
        }
        if (snapshotDir != null && !snapshotDir.isBlank()) {
            try {
                Path allowed = Path.of(snapshotDir).toRealPath();
                if (real.startsWith(allowed) && !real.equals(allowed)) {
                    return real;
                }
            } catch (IOException e) {
                // an unusable steep_repl.snapshot_dir grants nothing
            }
        }
        throw denied("permission denied to read snapshot files in \"" + given + "\""
                + (real.toString().equals(given) ? "" : " (real path " + real + ")"),
                snapshotDir == null || snapshotDir.isBlank()
                        ? "This needs membership in pg_read_server_files; steep_repl.snapshot_dir is not set."
                        : "This needs membership in pg_read_server_files, or a directory whose real path is under "
                                + "steep_repl.snapshot_dir (" + snapshotDir + ").");
    }

    private static SteepReplException denied(String message, String hint) {
        return new SteepReplException(ErrorCode.ERROR, message, hint, "42501", null);
    }
}
