package io.steep.repl.snapshot.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.steep.repl.snapshot.compress.CompressionMethod;

/**
 * How a table's data files hold its rows: COPY's text format or its binary format
 * (docs/snapshots.md, "Data format"). The one list of the formats and of the default: the
 * extension's option check names the same values, and {@code GenerateParams} checks against
 * this one.
 *
 * <p>Binary files load about a third faster (the server parses no text: no escapes to scan,
 * no digits to convert, numeric above all) but are about a quarter larger and compress worse,
 * so binary is the default for uncompressed snapshots and text for compressed ones. A table
 * with a column whose binary form names catalog objects of the source database (arrays of
 * user-defined types, composite types) or belongs to an extension is always written as text.
 */
public enum DataFormat {
    TEXT,
    BINARY;

    /**
     * SQL for the type a column's binary form is of, as the manifest's {@code column_types}
     * records it and apply compares it: {@code "schema"."name"} of the column's type, or of a
     * domain's base type, for the {@code pg_catalog.pg_attribute} row {@code a}. Generate and
     * apply evaluate the same text, so the two sides compare like with like.
     */
    public static final String COLUMN_TYPE_SQL = """
            (SELECT pg_catalog.format('%I.%I', bn.nspname, bt.typname)
               FROM pg_catalog.pg_type t
               JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
               JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
              WHERE t.oid = a.atttypid)""";

    /** The name in the manifest, the {@code data_format} option and the CLI: text, binary. */
    @JsonValue
    public String id() {
        return EnumIds.id(this);
    }

    /** binary for uncompressed snapshots, where load speed is what the files are for; else text. */
    public static DataFormat defaultFor(CompressionMethod compression) {
        return compression == CompressionMethod.NONE ? BINARY : TEXT;
    }

    /** COPY's option for this format, {@code FORMAT binary}; null for text, COPY's own default. */
    public String copyOption() {
        return this == BINARY ? "FORMAT binary" : null;
    }

    /** @return null when {@code id} names no format */
    public static DataFormat byId(String id) {
        return EnumIds.byId(DataFormat.class, id);
    }

    /** For the JSON of a manifest or ledger: an unknown name makes the file invalid. */
    @JsonCreator
    public static DataFormat fromJson(String id) {
        return EnumIds.fromJson(DataFormat.class, "data_format", id);
    }

    /** {@code text, binary}, for messages. */
    public static String ids() {
        return EnumIds.ids(DataFormat.class);
    }
}
