package io.steep.repl.daemon.config;

import static io.steep.repl.daemon.config.ConfigKey.HTTP_ADDRESS;
import static io.steep.repl.daemon.config.ConfigKey.HTTP_ENABLED;
import static io.steep.repl.daemon.config.ConfigKey.HTTP_PORT;
import static io.steep.repl.daemon.config.ConfigKey.INSECURE;
import static io.steep.repl.daemon.config.ConfigKey.LISTEN_ADDRESS;
import static io.steep.repl.daemon.config.ConfigKey.LISTEN_PORT;
import static io.steep.repl.daemon.config.ConfigKey.SHUTDOWN_GRACE;
import static io.steep.repl.daemon.config.ConfigKey.SOCKET;
import static io.steep.repl.daemon.config.ConfigKey.TLS_CERT;
import static io.steep.repl.daemon.config.ConfigKey.TLS_CLIENT_CA;
import static io.steep.repl.daemon.config.ConfigKey.TLS_KEY;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.Environment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Builds the daemon's {@link DaemonConfig}: the YAML file, then STEEP_REPL_DAEMON_* variables
 * over it, then command-line flags over both; then every value is checked. Any problem is a
 * {@link SteepReplException} with {@link ErrorCode#USAGE} whose message starts with the key.
 */
public final class ConfigLoader {
    private final Environment environment;
    private final Consumer<String> warnings;

    /** @param warnings receives non-fatal problems, e.g. a password file with loose permissions */
    public ConfigLoader(Environment environment, Consumer<String> warnings) {
        this.environment = environment;
        this.warnings = warnings;
    }

    /**
     * @param file        the config file, or null for variables and defaults only
     * @param commandLine values given by flags, by key, with the flag that gave them
     */
    public DaemonConfig load(Path file, Map<ConfigKey, Flag> commandLine) {
        Map<ConfigKey, ConfigValue> raw = new EnumMap<>(ConfigKey.class);
        if (file != null) {
            ConfigFile.read(file, raw);
        }
        readEnvironment(raw);
        commandLine.forEach((key, flag) -> raw.put(key, new ConfigValue(key, flag.value(), flag.name(), null)));
        return build(new ConfigValues(raw));
    }

    /** A value given on the command line, e.g. {@code --insecure} for insecure=true. */
    public record Flag(String name, String value) {
    }

    private void readEnvironment(Map<ConfigKey, ConfigValue> into) {
        for (String name : environment.variables().keySet().stream().sorted().toList()) {
            if (!name.startsWith(ConfigKey.ENVIRONMENT_PREFIX) || environment.get(name).isEmpty()) {
                continue;
            }
            ConfigKey key = ConfigKey.byEnvironmentVariable(name).orElseThrow(() -> new SteepReplException(
                    ErrorCode.USAGE, name + ": unknown variable", "The daemon reads these: " + Arrays.stream(ConfigKey.values())
                            .map(ConfigKey::environmentVariable).collect(Collectors.joining(", ")) + "."));
            into.put(key, new ConfigValue(key, environment.get(name).orElseThrow(), name, null));
        }
    }

    private DaemonConfig build(ConfigValues values) {
        ListenAddress listen = new ListenAddress(values.host(LISTEN_ADDRESS), values.port(LISTEN_PORT, DaemonDefaults.GRPC_PORT));
        TlsFiles tls = tls(values);
        boolean insecure = values.bool(INSECURE, false);
        if (tls == null && !insecure && !isLoopback(values, LISTEN_ADDRESS, listen.host())) {
            throw values.error(LISTEN_ADDRESS, listen.host() + " is not a loopback address, and without TLS every call "
                    + "and token would cross the network in plaintext",
                    "Set tls.cert and tls.key (steep-repl daemon tls init writes a first set), "
                            + "or allow plaintext explicitly with --insecure.");
        }
        ListenAddress http = null;
        if (values.bool(HTTP_ENABLED, true)) {
            http = new ListenAddress(values.host(HTTP_ADDRESS), values.port(HTTP_PORT, DaemonDefaults.HTTP_PORT));
            if (http.equals(listen)) {
                throw values.error(HTTP_PORT, "the HTTP endpoints cannot share " + listen + " with gRPC",
                        "Give http.port another port, or set http.enabled: false.");
            }
        }
        Path socket = values.has(SOCKET) ? values.path(SOCKET) : DaemonDefaults.socket(environment);
        return new DaemonConfig(listen, tls, insecure, Token.from(values), http, socket,
                PostgresTarget.resolve(values, environment, warnings),
                values.duration(SHUTDOWN_GRACE, DaemonDefaults.SHUTDOWN_GRACE));
    }

    private static TlsFiles tls(ConfigValues values) {
        if (!values.has(TLS_CERT) && !values.has(TLS_KEY)) {
            if (values.has(TLS_CLIENT_CA)) {
                throw values.error(TLS_CLIENT_CA, "client certificates need TLS, and tls.cert and tls.key are not set",
                        "Set tls.cert and tls.key too (steep-repl daemon tls init writes all three).");
            }
            return null;
        }
        for (ConfigKey needed : new ConfigKey[] {TLS_CERT, TLS_KEY}) {
            if (!values.has(needed)) {
                throw ConfigValue.error(needed, null, "required when " + (needed == TLS_CERT ? TLS_KEY : TLS_CERT).path()
                        + " is set", "TLS needs the server's certificate (tls.cert) and its private key (tls.key).");
            }
        }
        return new TlsFiles(values.readableFile(TLS_CERT), values.readableFile(TLS_KEY),
                values.has(TLS_CLIENT_CA) ? values.readableFile(TLS_CLIENT_CA) : null);
    }

    /** Whether every address the host resolves to is a loopback address. */
    private static boolean isLoopback(ConfigValues values, ConfigKey key, String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw values.error(key, "cannot resolve host " + host, "Give an IP address or a name this machine resolves.");
        }
    }
}
