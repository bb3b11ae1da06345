package io.steep.repl.daemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every key of the daemon's configuration: its dotted path in the YAML file, the kind of value it
 * takes and the environment variable that overrides it. docs/daemon.md lists the same keys
 * (DaemonDocsTest checks that it does).
 */
public enum ConfigKey {
    LISTEN_ADDRESS("listen.address", Kind.TEXT),
    LISTEN_PORT("listen.port", Kind.PORT),
    TLS_CERT("tls.cert", Kind.PATH),
    TLS_KEY("tls.key", Kind.PATH),
    TLS_CLIENT_CA("tls.client_ca", Kind.PATH),
    INSECURE("insecure", Kind.BOOLEAN),
    TOKEN("token", Kind.TEXT),
    TOKEN_FILE("token_file", Kind.PATH),
    HTTP_ENABLED("http.enabled", Kind.BOOLEAN),
    HTTP_ADDRESS("http.address", Kind.TEXT),
    HTTP_PORT("http.port", Kind.PORT),
    SOCKET("socket", Kind.PATH),
    POSTGRES_CONNECTION("postgres.connection", Kind.TEXT),
    POSTGRES_PASSWORD("postgres.password", Kind.TEXT),
    SHUTDOWN_GRACE("shutdown_grace", Kind.DURATION);

    /** Every override variable starts with this; an unknown one is an error, not ignored. */
    public static final String ENVIRONMENT_PREFIX = "STEEP_REPL_DAEMON_";

    /** What a key's value is written as in YAML. */
    enum Kind {
        /** A YAML string. */
        TEXT,
        /** A YAML string naming a file or socket. */
        PATH,
        /** A YAML integer between 1 and 65535. */
        PORT,
        /** YAML true or false. */
        BOOLEAN,
        /** A YAML string such as 10s, 500ms or 2m, or an integer number of seconds. */
        DURATION
    }

    private final String path;
    private final Kind kind;

    ConfigKey(String path, Kind kind) {
        this.path = path;
        this.kind = kind;
    }

    /** The dotted path, e.g. {@code listen.port}. */
    public String path() {
        return path;
    }

    Kind kind() {
        return kind;
    }

    /** The variable that overrides the file, e.g. {@code STEEP_REPL_DAEMON_LISTEN_PORT}. */
    public String environmentVariable() {
        return ENVIRONMENT_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public static Optional<ConfigKey> byPath(String path) {
        return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
    }

    public static Optional<ConfigKey> byEnvironmentVariable(String name) {
        return Arrays.stream(values()).filter(k -> k.environmentVariable().equals(name)).findFirst();
    }

    /** The sections (mappings) of the file: listen, tls, http, postgres. */
    static Set<String> sections() {
        return Arrays.stream(values()).map(k -> k.path).filter(p -> p.contains("."))
                .map(p -> p.substring(0, p.indexOf('.'))).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The keys of a section (or of the top level, for ""), for "known keys" hints. */
    static String keysUnder(String section) {
        String prefix = section.isEmpty() ? "" : section + ".";
        return Arrays.stream(values()).map(k -> k.path).filter(p -> p.startsWith(prefix))
                .map(p -> p.substring(prefix.length())).map(p -> p.contains(".") ? p.substring(0, p.indexOf('.')) : p)
                .distinct().collect(Collectors.joining(", "));
    }
}
