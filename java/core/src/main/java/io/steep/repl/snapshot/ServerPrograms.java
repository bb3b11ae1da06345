package io.steep.repl.snapshot;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the PostgreSQL client programs matching the running server. The worker is a child of
 * the supervisor, a postgres process, so the directory of its executable is the server's own
 * bin directory and its pg_dump has the server's version. Outside that setting (or if /proc is
 * unreadable) {@code pg_config --bindir} on the PATH is the fallback.
 */
public final class ServerPrograms {
    private ServerPrograms() {
    }

    /** The server's own copy of a client program (pg_dump, psql); an error naming the fix when there is none. */
    public static Path find(String program) {
        Optional<Path> beside = ProcessHandle.current().parent()
                .flatMap(parent -> serverBinDir(parent.pid()))
                .map(dir -> dir.resolve(program))
                .filter(Files::isExecutable);
        if (beside.isPresent()) {
            return beside.get();
        }
        Optional<Path> configured = pgConfigBinDir().map(dir -> dir.resolve(program)).filter(Files::isExecutable);
        return configured.orElseThrow(() -> new SteepReplException(ErrorCode.ERROR,
                "cannot find " + program + " of the running PostgreSQL server",
                "Install the PostgreSQL client programs of the server's version next to the postgres "
                        + "executable, or put pg_config on the PATH of the server."));
    }

    /** The directory of a process's executable, when it is a postgres server binary. */
    static Optional<Path> serverBinDir(long pid) {
        try {
            Path exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
            String name = exe.getFileName().toString();
            return name.equals("postgres") || name.equals("postmaster") ? Optional.of(exe.getParent()) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> pgConfigBinDir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && out.startsWith("/")) {
                return Optional.of(Path.of(out));
            }
            process.destroy();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
