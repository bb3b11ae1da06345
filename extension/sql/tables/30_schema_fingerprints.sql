-- steep_repl.schema_fingerprints: the last captured structure of each table.
CREATE TABLE steep_repl.schema_fingerprints (
    table_schema text NOT NULL,
    table_name text NOT NULL,
    table_kind text NOT NULL
        CONSTRAINT schema_fingerprints_table_kind_check
        CHECK (table_kind IN ('table', 'partitioned table')),
    fingerprint text NOT NULL,
    components jsonb NOT NULL
        CONSTRAINT schema_fingerprints_components_check
        CHECK (jsonb_typeof(components) = 'object'),
    include_column_order boolean NOT NULL,
    include_names boolean NOT NULL,
    captured_at timestamptz NOT NULL DEFAULT now(),
    captured_by name NOT NULL DEFAULT CURRENT_USER,
    PRIMARY KEY (table_schema, table_name)
);

COMMENT ON TABLE steep_repl.schema_fingerprints IS
    'Table fingerprints stored by capture_fingerprints(): one row per table, replaced by the next capture';

-- Reading is harmless (the catalogs say the same); writing needs an explicit
-- grant of INSERT and DELETE, as for the node registry.
GRANT SELECT ON steep_repl.schema_fingerprints TO PUBLIC;
