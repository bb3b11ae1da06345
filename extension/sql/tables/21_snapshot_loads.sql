-- steep_repl.snapshot_loads: what an unfinished snapshot apply has already loaded
-- into this database, so that a rerun of the same snapshot resumes (docs/snapshots.md,
-- "Apply").  Added by the snapshot apply side; the apply job writes each row in the
-- transaction that does the work it records, as the submitting role, and deletes its
-- rows once the apply completed.
CREATE TABLE steep_repl.snapshot_loads (
    -- the snapshot_id of the manifest being applied (not the apply run's id)
    snapshot_id text NOT NULL,
    -- schema: pre-data.sql was run by this apply; claim: a table loaded in several
    -- transactions (split, or truncated together with the tables it shares foreign keys with)
    -- was emptied or found empty and now belongs to this apply;
    -- part: one data file was loaded (every part of an unsplit table is its only one);
    -- post: object number "part" of post-data.sql was built
    step text NOT NULL
        CONSTRAINT snapshot_loads_step_check CHECK (step IN ('schema', 'claim', 'part', 'post')),
    table_schema text NOT NULL DEFAULT '',
    table_name text NOT NULL DEFAULT '',
    part integer NOT NULL DEFAULT -1,
    rows bigint,
    loaded_by name NOT NULL DEFAULT current_user,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (loaded_by, snapshot_id, step, table_schema, table_name, part)
);

COMMENT ON TABLE steep_repl.snapshot_loads IS
    'Progress of unfinished snapshot applies, per role: lets a rerun of the same snapshot skip what is already loaded';

-- A role records and reads only its own progress; loaded_by cannot be chosen.
ALTER TABLE steep_repl.snapshot_loads ENABLE ROW LEVEL SECURITY;
CREATE POLICY snapshot_loads_own ON steep_repl.snapshot_loads
    USING (loaded_by = current_user)
    WITH CHECK (loaded_by = current_user);
GRANT SELECT, DELETE ON steep_repl.snapshot_loads TO PUBLIC;
GRANT INSERT (snapshot_id, step, table_schema, table_name, part, rows) ON steep_repl.snapshot_loads TO PUBLIC;
