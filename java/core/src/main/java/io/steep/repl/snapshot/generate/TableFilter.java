package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.Manifest.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * Which tables a snapshot holds: the include/exclude schema and table options. A table entry is
 * {@code schema.table} or a bare {@code table} (any schema); a part may be double-quoted to
 * contain dots ({@code "my.schema"."t"}). Names are taken as written, without case folding.
 * A leaf partition is matched by its own name or by its partitioned root's.
 */
public record TableFilter(List<String> includeSchemas, List<String> excludeSchemas, List<Pattern> includeTables,
        List<Pattern> excludeTables) {

    /** @param schema null matches any schema */
    public record Pattern(String schema, String name) {
        boolean matches(TableName table) {
            return table != null && name.equals(table.name()) && (schema == null || schema.equals(table.schema()));
        }
    }

    public TableFilter {
        includeSchemas = List.copyOf(includeSchemas);
        excludeSchemas = List.copyOf(excludeSchemas);
        includeTables = List.copyOf(includeTables);
        excludeTables = List.copyOf(excludeTables);
    }

    public static TableFilter all() {
        return new TableFilter(List.of(), List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return includeSchemas.isEmpty() && excludeSchemas.isEmpty() && includeTables.isEmpty() && excludeTables.isEmpty();
    }

    /** Whether the run is limited to named schemas or tables. */
    public boolean includesSome() {
        return !includeSchemas.isEmpty() || !includeTables.isEmpty();
    }

    /** {@code include_schemas [a], include_tables [s.t]}, for messages. */
    String describeIncludes() {
        List<String> parts = new ArrayList<>();
        if (!includeSchemas.isEmpty()) {
            parts.add("include_schemas " + includeSchemas);
        }
        if (!includeTables.isEmpty()) {
            parts.add("include_tables " + includeTables.stream()
                    .map(p -> p.schema() == null ? p.name() : p.schema() + "." + p.name()).toList());
        }
        return String.join(", ", parts);
    }

    public boolean includesSchema(String schema) {
        return !excludeSchemas.contains(schema) && (includeSchemas.isEmpty() || includeSchemas.contains(schema));
    }

    /** @param root the partitioned root of a leaf partition, else null */
    public boolean includes(TableName table, TableName root) {
        if (!includesSchema(table.schema())) {
            return false;
        }
        if (matchesAny(excludeTables, table, root)) {
            return false;
        }
        return includeTables.isEmpty() || matchesAny(includeTables, table, root);
    }

    private static boolean matchesAny(List<Pattern> patterns, TableName table, TableName root) {
        return patterns.stream().anyMatch(p -> p.matches(table) || p.matches(root));
    }

    static List<Pattern> parseAll(List<String> names) {
        List<Pattern> patterns = new ArrayList<>();
        for (String name : names) {
            patterns.add(parse(name));
        }
        return patterns;
    }

    /** Splits {@code schema.table} at the first dot outside double quotes. */
    static Pattern parse(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        if (quoted || parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw GenerateParams.usage("table name '" + text + "' is not of the form schema.table or table",
                    "Write schema.table; double-quote a part that contains a dot, e.g. \"my.schema\".orders.");
        }
        return parts.size() == 1 ? new Pattern(null, parts.get(0)) : new Pattern(parts.get(0), parts.get(1));
    }
}
