package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The libpq connection keywords steep-repl honours, with the environment variable that
 * supplies each one. A libpq keyword that pgjdbc cannot honour is refused rather than ignored:
 * silently dropping, say, {@code requirepeer} would weaken a connection the user hardened.
 */
public final class ConnectionKeywords {
    public static final String HOST = "host";
    public static final String HOSTADDR = "hostaddr";
    public static final String PORT = "port";
    public static final String DBNAME = "dbname";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String PASSFILE = "passfile";
    public static final String SERVICE = "service";
    public static final String CONNECT_TIMEOUT = "connect_timeout";
    public static final String APPLICATION_NAME = "application_name";
    public static final String FALLBACK_APPLICATION_NAME = "fallback_application_name";
    public static final String OPTIONS = "options";
    public static final String SSLMODE = "sslmode";
    public static final String SSLROOTCERT = "sslrootcert";
    public static final String SSLCERT = "sslcert";
    public static final String SSLKEY = "sslkey";
    public static final String SSLPASSWORD = "sslpassword";

    /** Keyword to environment variable (null: no variable), in the order they are shown. */
    private static final Map<String, String> SUPPORTED = supported();

    /** libpq keywords that pgjdbc has no equivalent for. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "require_auth", "channel_binding", "client_encoding", "keepalives", "keepalives_idle",
            "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication", "gssencmode",
            "sslnegotiation", "sslcompression", "sslcertmode", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
            "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
            "target_session_attrs", "load_balance_hosts", "requiressl", "servicefile");

    /** Keywords whose values are secrets: never shown, never logged. */
    private static final Set<String> SECRETS = Set.of(PASSWORD, SSLPASSWORD);

    private ConnectionKeywords() {
    }

    private static Map<String, String> supported() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HOST, "PGHOST");
        m.put(HOSTADDR, "PGHOSTADDR");
        m.put(PORT, "PGPORT");
        m.put(DBNAME, "PGDATABASE");
        m.put(USER, "PGUSER");
        m.put(PASSWORD, "PGPASSWORD");
        m.put(PASSFILE, "PGPASSFILE");
        m.put(SERVICE, "PGSERVICE");
        m.put(CONNECT_TIMEOUT, "PGCONNECT_TIMEOUT");
        m.put(APPLICATION_NAME, "PGAPPNAME");
        m.put(FALLBACK_APPLICATION_NAME, null);
        m.put(OPTIONS, "PGOPTIONS");
        m.put(SSLMODE, "PGSSLMODE");
        m.put(SSLROOTCERT, "PGSSLROOTCERT");
        m.put(SSLCERT, "PGSSLCERT");
        m.put(SSLKEY, "PGSSLKEY");
        m.put(SSLPASSWORD, null);
        return Collections.unmodifiableMap(m);
    }

    /** Every supported keyword, in display order. */
    public static Set<String> all() {
        return SUPPORTED.keySet();
    }

    /** The environment variable that supplies a keyword, if there is one. */
    public static Optional<String> environmentVariable(String keyword) {
        return Optional.ofNullable(SUPPORTED.get(keyword));
    }

    public static boolean isSecret(String keyword) {
        return SECRETS.contains(keyword);
    }

    /**
     * Fails unless the keyword is one steep-repl honours.
     *
     * @param where where the keyword was found, e.g. {@code "connection string"} or a file and line
     */
    public static void check(String keyword, String where) {
        if (SUPPORTED.containsKey(keyword)) {
            return;
        }
        String hint = "Supported keywords: " + String.join(", ", SUPPORTED.keySet()) + ".";
        if (UNSUPPORTED.contains(keyword)) {
            throw new SteepReplException(ErrorCode.USAGE,
                    "connection option \"" + keyword + "\" (" + where + ") is not supported by steep-repl", hint);
        }
        throw new SteepReplException(ErrorCode.USAGE,
                "invalid connection option \"" + keyword + "\" (" + where + ")", hint);
    }
}
