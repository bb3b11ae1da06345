package io.steep.repl.daemon.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML config file into raw values by key, strictly: an unknown key, a section that is
 * not a mapping or a value of the wrong YAML type is an error naming the key. Parse errors give
 * the line and column only: the parser's own message quotes the offending line, which may hold a
 * password.
 */
final class ConfigFile {
    private static final String HINT = "docs/daemon.md lists every key of the config file.";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigFile() {
    }

    static void read(Path file, Map<ConfigKey, ConfigValue> into) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new SteepReplException(ErrorCode.USAGE, "config file " + file + " does not exist",
                    "Give the path of a YAML file with --config (docs/daemon.md has an example).");
        } catch (JsonProcessingException e) {
            throw new SteepReplException(ErrorCode.USAGE, "config file " + file + " is not valid YAML: " + problem(e), HINT);
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.USAGE, "cannot read config file " + file + ": " + e.getMessage(),
                    "Check that the daemon's user may read it.");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: every default
        }
        if (!root.isObject()) {
            throw new SteepReplException(ErrorCode.USAGE, "config file " + file + " must be a mapping of keys ("
                    + ConfigKey.keysUnder("") + ")", HINT);
        }
        Path baseDir = file.toAbsolutePath().getParent();
        readMapping("", root, baseDir, into);
    }

    private static void readMapping(String section, JsonNode mapping, Path baseDir, Map<ConfigKey, ConfigValue> into) {
        for (Map.Entry<String, JsonNode> field : mapping.properties()) {
            String path = section.isEmpty() ? field.getKey() : section + "." + field.getKey();
            JsonNode value = field.getValue();
            Optional<ConfigKey> key = ConfigKey.byPath(path);
            if (key.isPresent()) {
                if (!value.isNull()) { // "key:" with nothing after it leaves the default
                    into.put(key.get(), new ConfigValue(key.get(), scalar(key.get(), path, value), null, baseDir));
                }
            } else if (section.isEmpty() && ConfigKey.sections().contains(path)) {
                if (!value.isNull() && !value.isObject()) {
                    throw unknown(path + ": must be a mapping with the keys " + ConfigKey.keysUnder(path));
                }
                if (value.isObject()) {
                    readMapping(path, value, baseDir, into);
                }
            } else {
                String known = ConfigKey.keysUnder(section);
                throw unknown(path + ": unknown key (known " + (section.isEmpty() ? "at the top level" : "in " + section)
                        + ": " + known + ")");
            }
        }
    }

    /** The value's text, if its YAML type suits the key. */
    private static String scalar(ConfigKey key, String path, JsonNode value) {
        boolean fits = switch (key.kind()) {
            case PORT -> value.isIntegralNumber();
            case BOOLEAN -> value.isBoolean();
            case DURATION -> value.isIntegralNumber() || value.isTextual();
            case TEXT, PATH -> value.isTextual();
        };
        if (!fits) {
            throw ConfigValue.error(key, null, switch (key.kind()) {
                case PORT -> "must be a whole number between 1 and 65535";
                case BOOLEAN -> "must be true or false";
                case DURATION -> "must be a duration such as 10s, 500ms or 2m";
                case TEXT, PATH -> "must be a string";
            }, key.kind() == ConfigKey.Kind.TEXT || key.kind() == ConfigKey.Kind.PATH
                    ? "Quote the value if YAML reads it as something else." : HINT);
        }
        return value.asText();
    }

    private static SteepReplException unknown(String message) {
        return new SteepReplException(ErrorCode.USAGE, message, HINT);
    }

    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return yaml.getProblem() + " at line " + (yaml.getProblemMark().getLine() + 1)
                    + ", column " + (yaml.getProblemMark().getColumn() + 1);
        }
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return e.getOriginalMessage().lines().findFirst().orElse("") + where;
    }
}
