CREATE FUNCTION steep_repl.start_apply(
    p_input_path text,
    p_parallel integer DEFAULT 4,
    p_verify boolean DEFAULT true,
    p_options jsonb DEFAULT '{}'
)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_path text;
    v_snapshot_id text;
    v_snapshot steep_repl.snapshots;
BEGIN
    /*
     * Runs as the caller, like start_snapshot.  The run gets an id of its
     * own; the id of the snapshot being loaded is in its manifest.
     */
    PERFORM steep_repl.bgworker_available();  -- loads the library: steep_repl.snapshot_dir

    v_path := steep_repl.check_snapshot_path(p_input_path, false);
    v_snapshot_id := 'snap_' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS')
        || '_' || left(replace(gen_random_uuid()::text, '-', ''), 8);

    PERFORM steep_repl.submit_job('snapshot.apply',
        jsonb_build_object('snapshot_id', v_snapshot_id,
                           'path', v_path,
                           'parallel', p_parallel,
                           'verify', p_verify,
                           'options', p_options));

    SELECT * INTO STRICT v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = v_snapshot_id;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.start_apply(text, integer, boolean, jsonb) IS
    'Starts loading a snapshot directory into the current database as a background job; returns its steep_repl.snapshots row at once';
