package io.steep.repl.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What connection resolution reads from outside the connection string: environment variables,
 * the home directory, the OS user and the system-wide locations. Tests build their own so they
 * never depend on the machine they run on.
 *
 * @param variables         environment variables (PGHOST, PGPASSFILE, STEEP_REPL_CONNECTIONS, ...)
 * @param home              the user's home directory (~/.pgpass, ~/.pg_service.conf)
 * @param osUser            the default user name, as libpq takes it from the OS
 * @param defaultSocketDir  the default Unix socket directory when it exists, else null (then localhost)
 * @param defaultSysconfDir where pg_service.conf lives when PGSYSCONFDIR is not set
 */
public record Environment(
        Map<String, String> variables,
        Path home,
        String osUser,
        Path defaultSocketDir,
        Path defaultSysconfDir) {

    /** libpq's compiled-in socket directory on Debian; also the host that .pgpass calls "localhost". */
    public static final Path DEBIAN_SOCKET_DIR = Path.of("/var/run/postgresql");
    /** Debian's libpq looks for pg_service.conf here. */
    public static final Path DEBIAN_SYSCONF_DIR = Path.of("/etc/postgresql-common");

    public Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(defaultSysconfDir, "defaultSysconfDir");
    }

    /** The environment of this process. */
    public static Environment system() {
        return new Environment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                System.getProperty("user.name"),
                Files.isDirectory(DEBIAN_SOCKET_DIR) ? DEBIAN_SOCKET_DIR : null,
                DEBIAN_SYSCONF_DIR);
    }

    /** A variable's value; an empty value counts as unset, as it gives libpq nothing to use. */
    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A path from a variable; like libpq, no {@code ~} expansion (the shell does that). */
    public Optional<Path> path(String name) {
        return get(name).map(Path::of);
    }
}
