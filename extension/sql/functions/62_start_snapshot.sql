CREATE FUNCTION steep_repl.start_snapshot(
    p_output_path text,
    p_compression text DEFAULT 'none',
    p_parallel integer DEFAULT 4,
    p_options jsonb DEFAULT '{}'
)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_parts text[];
    v_path text;
    v_snapshot_id text;
    v_snapshot steep_repl.snapshots;
BEGIN
    /*
     * Runs as the caller: the job is the caller's and runs with the
     * caller's privileges.  The work_queue trigger checks the job
     * parameters (levels, parallel, options) and writes the snapshots row,
     * which is returned at once, status pending; the worker starts the job
     * when this transaction commits.
     */
    PERFORM steep_repl.bgworker_available();  -- loads the library: steep_repl.snapshot_dir

    v_parts := regexp_match(p_compression, '^(none|gzip|lz4|zstd)(?::([0-9]{1,3}))?$');
    IF v_parts IS NULL THEN
        RAISE EXCEPTION 'compression % is invalid', coalesce('"' || p_compression || '"', 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use none, gzip, lz4 or zstd, optionally with a level: gzip:1..9, lz4:1..12, zstd:1..22 (e.g. zstd:3).';
    END IF;

    v_path := steep_repl.check_snapshot_path(p_output_path, true);
    v_snapshot_id := 'snap_' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS')
        || '_' || left(replace(gen_random_uuid()::text, '-', ''), 8);

    PERFORM steep_repl.submit_job('snapshot.generate',
        jsonb_build_object('snapshot_id', v_snapshot_id,
                           'path', v_path,
                           'compression', jsonb_build_object('method', v_parts[1],
                                                             'level', v_parts[2]::integer),
                           'parallel', p_parallel,
                           'options', p_options));

    SELECT * INTO STRICT v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = v_snapshot_id;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.start_snapshot(text, text, integer, jsonb) IS
    'Starts generating a snapshot of the current database into a server directory as a background job; returns its steep_repl.snapshots row at once';
