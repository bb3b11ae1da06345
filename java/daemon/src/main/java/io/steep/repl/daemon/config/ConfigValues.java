package io.steep.repl.daemon.config;

import io.steep.repl.SteepReplException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The raw values by key, read as the type each key needs; a value that does not parse is an error naming the key. */
final class ConfigValues {
    static final Duration MAX_GRACE = Duration.ofHours(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private final Map<ConfigKey, ConfigValue> values;

    ConfigValues(Map<ConfigKey, ConfigValue> values) {
        this.values = values;
    }

    boolean has(ConfigKey key) {
        return values.containsKey(key);
    }

    Optional<String> text(ConfigKey key) {
        return Optional.ofNullable(values.get(key)).map(ConfigValue::text);
    }

    SteepReplException error(ConfigKey key, String problem, String hint) {
        ConfigValue value = values.get(key);
        return value != null ? value.error(problem, hint) : ConfigValue.error(key, null, problem, hint);
    }

    /** A host name or address to bind to; loopback by default. */
    String host(ConfigKey key) {
        String host = text(key).orElse(DaemonDefaults.ADDRESS).strip();
        if (host.isEmpty()) {
            throw error(key, "must not be empty", "Give an address such as 127.0.0.1, or 0.0.0.0 for every interface.");
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    int port(ConfigKey key, int fallback) {
        ConfigValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.text().strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw value.error("must be between 1 and 65535", "A port is a whole number, e.g. " + fallback + " (the default).");
    }

    boolean bool(ConfigKey key, boolean fallback) {
        ConfigValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.text().strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw value.error("must be true or false", "Write true or false, unquoted in YAML.");
        };
    }

    Duration duration(ConfigKey key, Duration fallback) {
        ConfigValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.text().strip());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration duration = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (duration.compareTo(MAX_GRACE) <= 0) {
                return duration;
            }
        }
        throw value.error("must be a duration between 0s and 1h",
                "Write a whole number with a unit: ms, s, m or h, e.g. 10s (a bare number means seconds).");
    }

    Path path(ConfigKey key) {
        ConfigValue value = values.get(key);
        if (value.text().isBlank()) {
            throw value.error("must not be empty", "Give a path, or leave the key out for its default.");
        }
        return value.path();
    }

    /** A path to a file the daemon must read at start: checked now, so nothing starts when it cannot. */
    Path readableFile(ConfigKey key) {
        Path path = path(key);
        if (!Files.exists(path)) {
            throw error(key, "file " + path + " does not exist", "Check the path (relative paths start at the config file's directory).");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw error(key, "cannot read " + path, "It must be a file the daemon's user may read.");
        }
        return path;
    }
}
