package io.steep.repl.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quoting of SQL identifiers for statements built from catalog names. Every name is quoted,
 * always: a quoted name is also an exact pg_dump name pattern, since inside double quotes the
 * pattern characters are literal.
 */
public final class SqlIdentifiers {
    private SqlIdentifiers() {
    }

    /** {@code we"ird} becomes {@code "we""ird"}. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /** {@code "a", "b"}. */
    public static String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }

    /**
     * A string literal for the few statements that take no parameters (COPY ... TO 'file'):
     * {@code E'...'} with backslashes and quotes doubled means the same whatever
     * standard_conforming_strings is. NUL cannot occur in a PostgreSQL string and is refused.
     */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a SQL string cannot hold NUL");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Reverses the quoting of one identifier as pg_dump writes it: {@code "a""b"} becomes {@code a"b}; bare names stay. */
    public static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }
}
