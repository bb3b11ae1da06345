package io.steep.repl.jdbc;

import static io.steep.repl.jdbc.ConnectionKeywords.APPLICATION_NAME;
import static io.steep.repl.jdbc.ConnectionKeywords.CONNECT_TIMEOUT;
import static io.steep.repl.jdbc.ConnectionKeywords.DBNAME;
import static io.steep.repl.jdbc.ConnectionKeywords.FALLBACK_APPLICATION_NAME;
import static io.steep.repl.jdbc.ConnectionKeywords.HOST;
import static io.steep.repl.jdbc.ConnectionKeywords.HOSTADDR;
import static io.steep.repl.jdbc.ConnectionKeywords.OPTIONS;
import static io.steep.repl.jdbc.ConnectionKeywords.PASSFILE;
import static io.steep.repl.jdbc.ConnectionKeywords.PASSWORD;
import static io.steep.repl.jdbc.ConnectionKeywords.PORT;
import static io.steep.repl.jdbc.ConnectionKeywords.SERVICE;
import static io.steep.repl.jdbc.ConnectionKeywords.SSLCERT;
import static io.steep.repl.jdbc.ConnectionKeywords.SSLKEY;
import static io.steep.repl.jdbc.ConnectionKeywords.SSLMODE;
import static io.steep.repl.jdbc.ConnectionKeywords.SSLPASSWORD;
import static io.steep.repl.jdbc.ConnectionKeywords.SSLROOTCERT;
import static io.steep.repl.jdbc.ConnectionKeywords.USER;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns what the user typed into a {@link ConnectionSpec}, with libpq's precedence: explicit
 * parameters, then the {@code service} definition, then PG* environment variables, then
 * defaults (the Debian socket directory if present else localhost, port 5432, the OS user,
 * a database named after the user). A password not found that way comes from the password file.
 */
public final class ConnectionResolver {
    public static final String DEFAULT_APPLICATION_NAME = "steep-repl";
    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private final Environment env;
    private final Consumer<String> warnings;

    /** @param warnings receives non-fatal problems, e.g. a password file with loose permissions */
    public ConnectionResolver(Environment env, Consumer<String> warnings) {
        this.env = env;
        this.warnings = warnings;
    }

    /**
     * Resolves the value of {@code -c}: a keyword/value string, a URI, the name of a named
     * connection, or null/blank for "environment and defaults only".
     */
    public ConnectionSpec resolve(String connection) {
        if (connection == null || connection.isBlank()) {
            return resolve(new ConnInfo(Map.of(), ConnInfo.Form.KEYWORDS, null));
        }
        if (ConnInfo.isConnectionString(connection)) {
            return resolve(ConnInfo.parse(connection));
        }
        return resolve(NamedConnections.lookup(connection.strip(), env, warnings));
    }

    public ConnectionSpec resolve(ConnInfo explicit) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        String explicitSource = explicit.name() != null ? "connection \"" + explicit.name() + "\"" : "connection string";
        explicit.params().forEach((k, v) -> put(values, sources, k, v, explicitSource));

        String service = values.containsKey(SERVICE) ? values.get(SERVICE) : env.get("PGSERVICE").orElse(null);
        if (service != null) {
            ServiceDefinitions.find(service, env)
                    .forEach((k, v) -> put(values, sources, k, v, "service \"" + service + "\""));
        }
        for (String keyword : ConnectionKeywords.all()) {
            ConnectionKeywords.environmentVariable(keyword).ifPresent(variable ->
                    env.get(variable).ifPresent(value -> put(values, sources, keyword, value, variable)));
        }

        String user = values.getOrDefault(USER, env.osUser());
        String dbname = values.getOrDefault(DBNAME, user);
        List<Endpoint> endpoints = endpoints(values);
        String sslmode = values.get(SSLMODE);
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw usage("invalid sslmode value: \"" + sslmode + "\"",
                    "Valid values: disable, allow, prefer, require, verify-ca, verify-full.");
        }
        String password = values.get(PASSWORD);
        String passwordSource = sources.get(PASSWORD);
        if (password == null) {
            Path passfile = values.containsKey(PASSFILE) ? Path.of(values.get(PASSFILE)) : env.home().resolve(".pgpass");
            Endpoint first = endpoints.get(0);
            password = PgPassFile.lookup(passfile, first.host() != null ? first.host() : first.hostaddr(),
                    Integer.toString(first.port()), dbname, user, warnings).orElse(null);
            passwordSource = password == null ? null : passfile.toString();
        }
        String applicationName = values.getOrDefault(APPLICATION_NAME,
                values.getOrDefault(FALLBACK_APPLICATION_NAME, DEFAULT_APPLICATION_NAME));
        return new ConnectionSpec(endpoints, dbname, user, password, passwordSource, sslmode,
                values.get(SSLROOTCERT), values.get(SSLCERT), values.get(SSLKEY), values.get(SSLPASSWORD),
                applicationName, timeout(values.get(CONNECT_TIMEOUT)), values.get(OPTIONS), explicit.name());
    }

    /** Earlier sources win; empty values count as not given, as in libpq. */
    private static void put(Map<String, String> values, Map<String, String> sources, String k, String v, String source) {
        if (!v.isEmpty() && !values.containsKey(k)) {
            values.put(k, v);
            sources.put(k, source);
        }
    }

    private List<Endpoint> endpoints(Map<String, String> values) {
        List<String> hosts = split(values.get(HOST));
        List<String> addrs = split(values.get(HOSTADDR));
        List<String> ports = split(values.get(PORT));
        int count = Math.max(hosts.size(), addrs.size());
        if (!hosts.isEmpty() && !addrs.isEmpty() && hosts.size() != addrs.size()) {
            throw usage("could not match " + addrs.size() + " host addresses to " + hosts.size() + " hosts",
                    "Give one hostaddr per host, separated by commas.");
        }
        if (ports.size() > 1 && ports.size() != Math.max(count, 1)) {
            throw usage("could not match " + ports.size() + " port numbers to " + Math.max(count, 1) + " hosts",
                    "Give one port for all hosts, or one port per host, separated by commas.");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < Math.max(count, 1); i++) {
            String host = i < hosts.size() && !hosts.get(i).isEmpty() ? hosts.get(i) : null;
            String addr = i < addrs.size() && !addrs.get(i).isEmpty() ? addrs.get(i) : null;
            if (host == null && addr == null) {
                host = env.defaultSocketDir() != null ? env.defaultSocketDir().toString() : "localhost";
            }
            String port = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : i);
            endpoints.add(new Endpoint(host, addr, port(port)));
        }
        if (endpoints.size() > 1 && endpoints.stream().anyMatch(Endpoint::isUnixSocket)) {
            throw usage("a Unix socket directory cannot be combined with other hosts",
                    "Connect to one socket directory, or list TCP hosts only.");
        }
        return endpoints;
    }

    private static List<String> split(String value) {
        return value == null ? List.of() : List.of(value.split(",", -1));
    }

    private static int port(String text) {
        if (text.isEmpty()) {
            return 5432;
        }
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("invalid port number: \"" + text + "\"", "A port is a number between 1 and 65535.");
    }

    private static Integer timeout(String text) {
        if (text == null) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(text.strip());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("invalid connect_timeout value: \"" + text + "\"",
                "connect_timeout is a whole number of seconds; 0 waits indefinitely.");
    }

    private static SteepReplException usage(String message, String hint) {
        return new SteepReplException(ErrorCode.USAGE, message, hint);
    }
}
