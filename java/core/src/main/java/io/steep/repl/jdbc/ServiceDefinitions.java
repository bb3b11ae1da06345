package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libpq connection services: the user's file ({@code PGSERVICEFILE}, else
 * {@code ~/.pg_service.conf}) is searched first, then the system file
 * ({@code $PGSYSCONFDIR/pg_service.conf}, else the distribution's default directory).
 */
final class ServiceDefinitions {

    private ServiceDefinitions() {
    }

    static List<Path> files(Environment env) {
        Path user = env.path("PGSERVICEFILE").orElse(env.home().resolve(".pg_service.conf"));
        Path system = env.path("PGSYSCONFDIR").orElse(env.defaultSysconfDir()).resolve("pg_service.conf");
        return List.of(user, system);
    }

    /** The parameters of a service; a service that no file defines is an error, as in libpq. */
    static Map<String, String> find(String service, Environment env) {
        List<Path> files = files(env);
        for (Path file : files) {
            Optional<Map<String, String>> section =
                    ServiceFile.read(file).flatMap(f -> f.section(service, false));
            if (section.isPresent()) {
                return section.get();
            }
        }
        throw new SteepReplException(ErrorCode.USAGE, "definition of service \"" + service + "\" not found",
                "Looked for [" + service + "] in " + files.get(0) + " and " + files.get(1)
                        + "; define it there, or point PGSERVICEFILE at the file that does.");
    }
}
