package io.steep.repl.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Looks a password up in a libpq password file ({@code hostname:port:database:username:password}
 * lines), with libpq's rules: {@code *} as a whole field matches anything, {@code \:} and
 * {@code \\} escape, the first matching line wins, {@code #} starts a comment line, and a file
 * that the group or others can read is ignored with a warning.
 */
final class PgPassFile {
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PgPassFile() {
    }

    /**
     * The password for these connection parameters, if the file has one.
     *
     * @param host     the host as given (a socket directory, a name or an address); empty or the
     *                 default socket directory match "localhost", as in libpq
     * @param warnings receives the reason a file was ignored
     */
    static Optional<String> lookup(Path file, String host, String port, String dbname, String user,
            Consumer<String> warnings) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            warnings.accept("password file \"" + file + "\" is not a plain file");
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
                warnings.accept("password file \"" + file + "\" has group or world access; "
                        + "permissions should be u=rw (0600) or less");
                return Optional.empty();
            }
            return find(Files.readAllLines(file, StandardCharsets.UTF_8), hostForMatching(host),
                    port, dbname, user);
        } catch (IOException | UnsupportedOperationException e) {
            warnings.accept("could not read password file \"" + file + "\": " + e.getMessage());
            return Optional.empty();
        }
    }

    static String hostForMatching(String host) {
        if (host == null || host.isEmpty() || host.equals(Environment.DEBIAN_SOCKET_DIR.toString())) {
            return "localhost";
        }
        return host;
    }

    static Optional<String> find(List<String> lines, String host, String port, String dbname, String user) {
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int rest = match(line, 0, host);
            rest = match(line, rest, port);
            rest = match(line, rest, dbname);
            rest = match(line, rest, user);
            if (rest >= 0) {
                String password = unescape(line, rest);
                return password.isEmpty() ? Optional.empty() : Optional.of(password);
            }
        }
        return Optional.empty();
    }

    /** Matches one field starting at {@code from}; returns where the next field starts, or -1. */
    private static int match(String line, int from, String value) {
        if (from < 0) {
            return -1;
        }
        if (line.startsWith("*:", from)) {
            return from + 2;
        }
        int i = from;
        int v = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            boolean escaped = c == '\\' && i + 1 < line.length();
            if (escaped) {
                c = line.charAt(++i);
            }
            if (c == ':' && !escaped && v == value.length()) {
                return i + 1;
            }
            if (v == value.length() || c != value.charAt(v)) {
                return -1;
            }
            i++;
            v++;
        }
        return -1;
    }

    /** The password field: up to an unescaped ':' or the end, with escapes removed. */
    private static String unescape(String line, int from) {
        StringBuilder password = new StringBuilder();
        for (int i = from; i < line.length() && line.charAt(i) != ':'; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                c = line.charAt(++i);
            }
            password.append(c);
        }
        return password.toString();
    }
}
