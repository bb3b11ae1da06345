package io.steep.repl.schema;

import java.util.List;

/**
 * What a fingerprint covers: the tables of these schemas (all when empty), and whether column
 * order and index/constraint/sequence names count as differences.
 */
public record SchemaScope(List<String> schemas, boolean includeColumnOrder, boolean includeNames) {

    public SchemaScope {
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
    }

    /** Every schema, column order and names ignored. */
    public static SchemaScope all() {
        return new SchemaScope(List.of(), false, false);
    }

    /** The same options, narrowed to one schema. */
    public SchemaScope onlySchema(String schema) {
        return new SchemaScope(List.of(schema), includeColumnOrder, includeNames);
    }
}
