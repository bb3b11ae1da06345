package io.steep.repl.jdbc;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parameters a user gave explicitly, before defaults are filled in: a parsed libpq
 * keyword/value string or URI, or the section of a named connection. {@link #toString()}
 * never shows a password.
 *
 * @param params keyword to value, in the order given; every keyword is a supported one
 * @param form   how the user wrote it, so it can be shown back the same way
 * @param name   the named connection it came from, or null
 */
public record ConnInfo(Map<String, String> params, Form form, String name) {

    /** The written form of a connection. */
    public enum Form { KEYWORDS, URI, NAMED }

    static final String FORMS_HINT = "Use key=value pairs, e.g. \"host=db1 port=5432 dbname=app user=steep\", "
            + "or a URI, e.g. \"postgresql://steep@db1:5432/app?sslmode=require\".";

    private static final Pattern OTHER_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    public ConnInfo {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses a keyword/value string or a {@code postgresql://} / {@code postgres://} URI. */
    public static ConnInfo parse(String text) {
        String trimmed = text.strip();
        if (ConnectionUriParser.accepts(trimmed)) {
            return new ConnInfo(ConnectionUriParser.parse(trimmed), Form.URI, null);
        }
        if (OTHER_SCHEME.matcher(trimmed).find()) {
            throw syntaxError("unsupported URI scheme \"" + trimmed.substring(0, trimmed.indexOf(':')) + "\"");
        }
        return new ConnInfo(KeywordValueParser.parse(text), Form.KEYWORDS, null);
    }

    /** True when the text is a connection string rather than the name of a named connection. */
    public static boolean isConnectionString(String text) {
        return text.contains("=") || text.contains("://");
    }

    /** A value the user gave, if non-empty. */
    public Optional<String> get(String keyword) {
        String value = params.get(keyword);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    static SteepReplException syntaxError(String detail) {
        return new SteepReplException(ErrorCode.USAGE, "invalid connection string: " + detail, FORMS_HINT);
    }

    @Override
    public String toString() {
        return Redaction.render(this);
    }
}
