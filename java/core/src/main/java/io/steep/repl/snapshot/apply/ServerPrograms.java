package io.steep.repl.snapshot.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the PostgreSQL client programs that belong to the server: those beside the server
 * binary that started the worker (the supervisor is the worker's parent), else those of
 * {@code pg_config --bindir}, so a psql of another major version is not picked up from PATH.
 */
final class ServerPrograms {
    private ServerPrograms() {
    }

    static Path find(String program) {
        return fromParentProcess(program).or(() -> fromPgConfig(program)).orElseThrow(() -> new IllegalStateException(
                program + " was found neither beside the server binary nor in pg_config --bindir; "
                        + "install the PostgreSQL client programs of the server's version"));
    }

    private static Optional<Path> fromParentProcess(String program) {
        return ProcessHandle.current().parent().flatMap(parent -> {
            try {
                Path server = Path.of("/proc", Long.toString(parent.pid()), "exe").toRealPath();
                return executable(server.getParent().resolve(program));
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<Path> fromPgConfig(String program) {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            return executable(Path.of(out).resolve(program));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Path> executable(Path candidate) {
        return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }
}
