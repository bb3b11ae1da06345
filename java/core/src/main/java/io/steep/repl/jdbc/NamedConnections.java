package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Named connections: {@code -c prod} looks up section {@code [prod]} of
 * {@code $STEEP_REPL_CONNECTIONS}, else {@code $XDG_CONFIG_HOME/steep-repl/connections.conf},
 * else {@code ~/.config/steep-repl/connections.conf}. The file has pg_service.conf syntax and
 * libpq keywords; a section may name a {@code service}.
 */
final class NamedConnections {
    static final String FILE_VARIABLE = "STEEP_REPL_CONNECTIONS";

    private NamedConnections() {
    }

    static Path file(Environment env) {
        return env.path(FILE_VARIABLE).orElseGet(() -> env.path("XDG_CONFIG_HOME")
                .orElse(env.home().resolve(".config"))
                .resolve("steep-repl").resolve("connections.conf"));
    }

    static ConnInfo lookup(String name, Environment env, Consumer<String> warnings) {
        Path file = file(env);
        ServiceFile connections = ServiceFile.read(file).orElseThrow(() -> unknown(name, file, null));
        Map<String, String> params = connections.section(name, true)
                .orElseThrow(() -> unknown(name, file, connections.sectionNames()));
        if (params.containsKey(ConnectionKeywords.PASSWORD) && readableByOthers(file)) {
            warnings.accept("\"" + file + "\" holds a password and other users can read it; "
                    + "restrict it with chmod 600");
        }
        return new ConnInfo(params, ConnInfo.Form.NAMED, name);
    }

    private static SteepReplException unknown(String name, Path file, List<String> known) {
        String searched = known == null ? file + " (the file does not exist)"
                : known.isEmpty() ? file + " (it defines no connections)"
                : file + " (it defines: " + String.join(", ", known) + ")";
        return new SteepReplException(ErrorCode.USAGE, "unknown connection name \"" + name + "\"",
                "A value of -c without \"=\" or \"://\" names a [section] of " + searched
                        + "; set " + FILE_VARIABLE + " to use another file. " + ConnInfo.FORMS_HINT);
    }

    private static boolean readableByOthers(Path file) {
        try {
            var permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
