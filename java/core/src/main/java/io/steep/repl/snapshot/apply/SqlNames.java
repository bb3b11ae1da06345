package io.steep.repl.snapshot.apply;

import io.steep.repl.snapshot.manifest.Manifest;

/** Identifier quoting for the statements apply builds from manifest names. */
final class SqlNames {
    private SqlNames() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}, both parts always quoted. */
    static String qualified(Manifest.TableName table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /** Reverses pg_dump's quoting of one identifier: {@code "a""b"} becomes {@code a"b}; bare names stay. */
    static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }
}
