-- steep_repl.overlap_runs and overlap_keys: overlap analyses kept for later inspection
-- (analyze_overlap with {"keep": true}) and for a merge's dry run: per table the counts, and
-- the keys of the rows that are not equal on both nodes.
CREATE TABLE steep_repl.overlap_runs (
    run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the peer as messages name it: a redacted connection string, a node or a foreign server
    peer text NOT NULL,
    tables jsonb NOT NULL DEFAULT '[]',
    created_by regrole NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE steep_repl.overlap_keys (
    run_id bigint NOT NULL REFERENCES steep_repl.overlap_runs ON DELETE CASCADE,
    table_name text NOT NULL,
    category text NOT NULL
        CONSTRAINT overlap_keys_category_check
        CHECK (category IN ('conflict', 'local_only', 'remote_only')),
    -- the key as the analysis compares it: quote_nullable(column::text) of each key column, by ','
    key_text text NOT NULL,
    PRIMARY KEY (run_id, table_name, key_text)
);

COMMENT ON TABLE steep_repl.overlap_runs IS
    'Overlap analyses kept by analyze_overlap(..., ''{"keep": true}''): the peer and each table''s counts';
COMMENT ON TABLE steep_repl.overlap_keys IS
    'The keys of a kept overlap analysis whose rows differ or exist on one node only';

/*
 * A role keeps and reads its own analyses (row-level security, by OID); it
 * may delete them.  created_by is forced by the trigger.  Not dumped: they
 * describe this node against a peer at one moment.
 */
GRANT SELECT, INSERT (peer, tables, created_by), UPDATE (tables), DELETE ON steep_repl.overlap_runs TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON steep_repl.overlap_keys TO PUBLIC;
