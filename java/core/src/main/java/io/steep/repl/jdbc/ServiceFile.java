package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads files in pg_service.conf format: {@code [name]} sections of {@code keyword=value}
 * lines, {@code #} comments. Values are taken literally (no quoting), as libpq does. Used for
 * libpq service files and for steep-repl's named connections.
 */
final class ServiceFile {
    private final Path file;
    private final List<String> lines;

    private ServiceFile(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** The file, or empty when it does not exist. */
    static Optional<ServiceFile> read(Path file) {
        try {
            return Optional.of(new ServiceFile(file, Files.readAllLines(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SteepReplException(ErrorCode.USAGE, "could not read \"" + file + "\": " + e.getMessage(),
                    "Check that the file is readable by the current user.", null, e);
        }
    }

    /**
     * The parameters of section {@code [name]}, or empty when there is no such section.
     *
     * @param allowService whether a section may name a libpq service (not inside a service file)
     */
    Optional<Map<String, String>> section(String name, boolean allowService) {
        Map<String, String> params = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (params != null) {
                    break;
                }
                if (line.equals("[" + name + "]")) {
                    params = new LinkedHashMap<>();
                }
                continue;
            }
            if (params == null) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new SteepReplException(ErrorCode.USAGE,
                        "syntax error in \"" + file + "\", line " + (i + 1) + ": expected keyword=value",
                        "Each line of a section reads keyword=value, as in pg_service.conf.");
            }
            String keyword = line.substring(0, eq).strip();
            String where = "in \"" + file + "\", line " + (i + 1);
            ConnectionKeywords.check(keyword, where);
            if (!allowService && keyword.equals(ConnectionKeywords.SERVICE)) {
                throw new SteepReplException(ErrorCode.USAGE, "nested service specification " + where,
                        "A service definition cannot refer to another service.");
            }
            params.put(keyword, line.substring(eq + 1).strip());
        }
        return Optional.ofNullable(params);
    }

    /** The section names, in file order. */
    List<String> sectionNames() {
        List<String> names = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                names.add(line.substring(1, line.length() - 1));
            }
        }
        return names;
    }
}
