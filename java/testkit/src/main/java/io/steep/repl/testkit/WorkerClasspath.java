package io.steep.repl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The worker classpath a test cluster uses. The server runs as the postgres OS user, which
 * may not be able to read the build directory (a checkout under /root, say), so the entries
 * are copied once per test JVM into a world-readable temporary directory.
 */
final class WorkerClasspath {
    private static String copied;

    private WorkerClasspath() {
    }

    /** The readable copy of the classpath in the given system property, or "" when unset. */
    static synchronized String fromProperty(String property) {
        String classpath = System.getProperty(property, "");
        if (classpath.isBlank()) {
            return "";
        }
        if (copied == null) {
            copied = copy(classpath);
        }
        return copied;
    }

    private static String copy(String classpath) {
        try {
            Path dir = Files.createTempDirectory("steep-worker-cp-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> new PgCommands().deleteRecursively(dir)));
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : classpath.split(":")) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path target = dir.resolve(n++ + "-" + source.getFileName());
                copyTree(source, target);
                entries.add(target.toString());
            }
            return String.join(":", entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the worker classpath", e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
