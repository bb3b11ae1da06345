package io.steep.repl.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a snapshot may be written or read, decided for the submitting role (docs/snapshots.md,
 * "Paths and privileges"): the path must be absolute without {@code .} or {@code ..}; it is
 * resolved to its real location (symlinks included) before use; the role needs
 * pg_write_server_files (pg_read_server_files to read) unless the path lies inside
 * {@code steep_repl.snapshot_dir} by the one rule SQL's {@code check_snapshot_path} also applies
 * (see {@link #insideSnapshotDir}).
 */
public final class SnapshotPaths {
    static final String SNAPSHOT_DIR_GUC = "steep_repl.snapshot_dir";

    public enum Access {
        READ("pg_read_server_files", "read"),
        WRITE("pg_write_server_files", "write");

        final String role;
        final String verb;

        Access(String role, String verb) {
            this.role = role;
            this.verb = verb;
        }
    }

    private SnapshotPaths() {
    }

    /**
     * The real path of a snapshot directory that the connection's current role may use.
     * For {@link Access#WRITE} the directory itself need not exist yet, but its parent must.
     *
     * @param asSubmitter a connection running as the submitting role
     * @throws SteepReplException USAGE for a malformed path, ERROR when the role may not use it
     */
    public static Path resolve(Connection asSubmitter, String requested, Access access) throws SQLException {
        Path real = realPath(requested, access);
        Grant grant = grant(asSubmitter, access);
        if (grant.hasRole()) {
            return real;
        }
        if (insideSnapshotDir(Path.of(requested), real, grant.snapshotDir())) {
            return real;
        }
        String where = grant.snapshotDir() == null ? ""
                : " and it is not inside " + SNAPSHOT_DIR_GUC + " (" + grant.snapshotDir() + ")";
        throw new SteepReplException(ErrorCode.ERROR, "role \"" + grant.role() + "\" may not " + access.verb
                + " server files: " + real + " needs membership in " + access.role + where,
                "GRANT " + access.role + " TO \"" + grant.role() + "\", or have a superuser set "
                        + SNAPSHOT_DIR_GUC + " and use a directory inside it.");
    }

    /** Checks the path's form and resolves symlinks; pure file-system work. */
    static Path realPath(String requested, Access access) {
        if (requested == null || requested.isBlank()) {
            throw usage("no snapshot path was given");
        }
        Path path = Path.of(requested);
        if (!path.isAbsolute()) {
            throw usage("snapshot path '" + requested + "' is not absolute");
        }
        for (Path name : path) {
            if (name.toString().equals("..") || name.toString().equals(".")) {
                throw usage("snapshot path '" + requested + "' contains a '" + name + "' component");
            }
        }
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) || access == Access.READ) {
                return path.toRealPath();
            }
            Path parent = path.getParent();
            if (parent == null) {
                throw usage("snapshot path '" + requested + "' is the root directory");
            }
            return parent.toRealPath().resolve(path.getFileName());
        } catch (IOException e) {
            Path missing = access == Access.READ ? path : path.getParent();
            throw new SteepReplException(ErrorCode.ERROR, "cannot resolve " + missing + ": " + describe(e),
                    access == Access.READ ? "Check the path of the snapshot directory."
                            : "Create the parent directory first; generate creates only the snapshot directory itself.");
        }
    }

    /**
     * The rule of {@code steep_repl.snapshot_dir}: the path as named lies strictly inside the
     * directory as set (what SQL checks), and its real path strictly inside the directory's real
     * path (no symlink leads out, whichever side it is on). The setting is canonical, absolute
     * and never the root directory (its check hook); anything else grants nothing.
     *
     * @param requested the path as the job names it (absolute, without '.' or '..')
     * @param real      its real path
     * @param setting   the setting's value, null or blank when unset
     */
    static boolean insideSnapshotDir(Path requested, Path real, String setting) {
        if (setting == null || setting.isBlank()) {
            return false;
        }
        Path dir = Path.of(setting);
        if (!dir.isAbsolute() || dir.getNameCount() == 0) {
            return false;
        }
        Path realDir = realDir(dir);
        return realDir != null && realDir.getNameCount() > 0 && isStrictlyInside(requested, dir)
                && isStrictlyInside(real, realDir);
    }

    static boolean isStrictlyInside(Path path, Path dir) {
        return path.startsWith(dir) && !path.equals(dir);
    }

    /** @param snapshotDir the setting as it is, null when unset */
    private record Grant(String role, boolean hasRole, String snapshotDir) {
    }

    private static Grant grant(Connection connection, Access access) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_user, "
                + "pg_catalog.pg_has_role(current_user, ?, 'USAGE'), pg_catalog.current_setting(?, true)")) {
            ps.setString(1, access.role);
            ps.setString(2, SNAPSHOT_DIR_GUC);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String dir = rs.getString(3);
                return new Grant(rs.getString(1), rs.getBoolean(2), dir == null || dir.isBlank() ? null : dir);
            }
        }
    }

    /** The setting's directory with symlinks resolved, so a comparison with a real path means something. */
    private static Path realDir(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }

    private static SteepReplException usage(String message) {
        return new SteepReplException(ErrorCode.USAGE, message,
                "Give an absolute path without '.' or '..' components, e.g. /srv/snapshots/shop-2026-11-21.");
    }
}
