package io.steep.repl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the PostgreSQL server programs as the right OS user: as {@code postgres} when the tests
 * run as root (initdb and postgres refuse root), as the current user otherwise.
 */
final class PgCommands {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private final Path binDir;

    /** The programs of $STEEP_PG_BINDIR, or of the PostgreSQL that pg_config on the PATH names. */
    PgCommands() {
        this(defaultBinDir());
    }

    /** The programs of another installation, such as a peer of another major version. */
    PgCommands(Path binDir) {
        this.binDir = binDir;
    }

    private static Path defaultBinDir() {
        String configured = System.getenv("STEEP_PG_BINDIR");
        return Path.of(configured != null && !configured.isBlank()
                ? configured
                : Processes.run(List.of("pg_config", "--bindir")).trim());
    }

    String bin(String program) {
        return binDir.resolve(program).toString();
    }

    /** Runs a server program to completion as the server's OS user. */
    String asServerUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", PgCluster.SUPERUSER, "--"));
        }
        full.addAll(command);
        return Processes.run(full);
    }

    Path createOwnedTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        chown(dir);
        return dir;
    }

    void mkdirOwned(Path dir) throws IOException {
        Files.createDirectory(dir);
        chown(dir);
    }

    void chownTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                chown(p);
            }
        }
    }

    private void chown(Path path) throws IOException {
        if (ROOT) {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(PgCluster.SUPERUSER);
            Files.setOwner(path, owner);
        }
    }

    void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
