package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.Manifest.TableName;
import java.util.List;
import java.util.stream.Collectors;

/** Quoting of names for SQL and for pg_dump's name patterns. */
final class Identifiers {
    private Identifiers() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quote(TableName table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    static String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    /**
     * A pg_dump pattern matching exactly this name: inside double quotes the pattern characters
     * ({@code * ? .}) are literal and a double quote is doubled, as in SQL.
     */
    static String dumpPattern(String name) {
        return quote(name);
    }

    static String dumpPattern(TableName table) {
        return quote(table.schema()) + "." + quote(table.name());
    }
}
