package io.steep.repl.daemon.config;

import static io.steep.repl.daemon.config.ConfigKey.TOKEN;
import static io.steep.repl.daemon.config.ConfigKey.TOKEN_FILE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The optional bearer token, from {@code token} or {@code token_file}; no message ever shows it. */
final class Token {
    /** Short tokens can be guessed; 16 characters of a random hex string are 64 bits. */
    static final int MIN_LENGTH = 16;
    private static final String HINT = "Generate one, e.g. openssl rand -hex 32, and put it in token_file (mode 0600).";

    private Token() {
    }

    static String from(ConfigValues values) {
        if (values.has(TOKEN) && values.has(TOKEN_FILE)) {
            throw values.error(TOKEN_FILE, "give token or token_file, not both", "token_file keeps the token out of the config file.");
        }
        ConfigKey key;
        String token;
        if (values.has(TOKEN)) {
            key = TOKEN;
            token = values.text(TOKEN).orElseThrow();
        } else if (values.has(TOKEN_FILE)) {
            key = TOKEN_FILE;
            Path file = values.readableFile(TOKEN_FILE);
            try {
                token = Files.readString(file).strip();
            } catch (IOException e) {
                throw values.error(TOKEN_FILE, "cannot read " + file + ": " + e.getMessage(), null);
            }
        } else {
            return null;
        }
        if (token.length() < MIN_LENGTH) {
            throw values.error(key, "the token must have at least " + MIN_LENGTH + " characters", HINT);
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw values.error(key, "the token may hold only printable ASCII characters, without spaces",
                    "Clients send it in an HTTP/2 header. " + HINT);
        }
        return token;
    }
}
