CREATE FUNCTION steep_repl.snapshot_progress(p_snapshot_id text DEFAULT NULL)
RETURNS TABLE (
    snapshot_id text,
    op text,
    status text,
    phase text,
    percent double precision,
    tables_completed integer,
    tables_total integer,
    current_table text,
    rows_done bigint,
    bytes_done bigint,
    bytes_per_sec double precision,
    eta interval,
    started_at timestamptz,
    error_message text
)
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM steep_repl._run_progress(p_snapshot_id, ARRAY['generate', 'apply'], 'snapshot',
                                           'steep_repl.snapshots lists the snapshot runs you can see.');
$$;

COMMENT ON FUNCTION steep_repl.snapshot_progress(text) IS
    'Progress of one snapshot run, or of every pending and running one: live from shared memory while running, from steep_repl.snapshots otherwise';
