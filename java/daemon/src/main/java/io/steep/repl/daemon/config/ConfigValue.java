package io.steep.repl.daemon.config;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.nio.file.Path;

/**
 * One key's value as written, before it is checked, and where it was written, so that an error
 * names both the key and its source.
 *
 * @param origin  null for the config file, else the variable or flag, e.g. {@code --insecure}
 * @param baseDir the directory a relative path is resolved against (the config file's), or null
 */
record ConfigValue(ConfigKey key, String text, String origin, Path baseDir) {

    /** A configuration error about this value: exit code 2, nothing started. */
    SteepReplException error(String problem, String hint) {
        return error(key, origin, problem, hint);
    }

    static SteepReplException error(ConfigKey key, String origin, String problem, String hint) {
        String where = key.path() + (origin == null ? "" : " (from " + origin + ")");
        return new SteepReplException(ErrorCode.USAGE, where + ": " + problem, hint);
    }

    /** The value as a path, relative ones resolved against the config file's directory. */
    Path path() {
        Path path = Path.of(text);
        return path.isAbsolute() || baseDir == null ? path.toAbsolutePath() : baseDir.resolve(path).normalize();
    }
}
