CREATE FUNCTION steep_repl.start_merge(
    p_peer text,
    p_tables text[],
    p_strategy text DEFAULT 'prefer-local',
    p_dry_run boolean DEFAULT false,
    p_options jsonb DEFAULT '{}'
)
RETURNS steep_repl.merge_audit_log
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_merge_id text;
    v_merge steep_repl.merge_audit_log;
BEGIN
    /*
     * Runs as the caller: the job is the caller's and merges with the
     * caller's privileges on both nodes (docs/merge.md).  What this node can
     * check is checked now (_merge_plan), the peer's side by the job before
     * any change.  The work_queue trigger writes the merge_audit_log row,
     * returned at once, status pending.
     */
    PERFORM steep_repl._check_merge_peer(p_peer);
    PERFORM steep_repl._merge_plan(p_tables, p_strategy, coalesce(p_dry_run, false), p_options);
    v_merge_id := 'merge_' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS')
        || '_' || left(replace(gen_random_uuid()::text, '-', ''), 8);
    PERFORM steep_repl.submit_job('merge',
        jsonb_build_object('merge_id', v_merge_id, 'peer', p_peer, 'tables', to_jsonb(p_tables),
                           'strategy', p_strategy, 'dry_run', coalesce(p_dry_run, false), 'options', p_options),
        1);  -- a merge interrupted is failed, not retried: run it again, it converges
    SELECT * INTO STRICT v_merge FROM steep_repl.merge_audit_log m WHERE m.merge_id = v_merge_id;
    RETURN v_merge;
END;
$$;

COMMENT ON FUNCTION steep_repl.start_merge(text, text[], text, boolean, jsonb) IS
    'Starts merging tables both ways with a peer as a background job (strategy prefer-local, prefer-remote, last-modified or manual; a dry run only plans); returns its merge_audit_log row at once';

CREATE FUNCTION steep_repl._check_merge_peer(p_peer text)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /*
     * A merge job keeps its peer in the job queue, where the submitter and
     * superusers read it: a password must not be part of it.
     */
    IF p_peer IS NULL OR p_peer ~ '^\s*$' THEN
        RAISE EXCEPTION 'peer must not be empty'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give a registered node id, a foreign server with a user mapping for you, or a connection string without a password.';
    END IF;
    IF steep_repl.redact_conninfo(p_peer) <> p_peer THEN
        RAISE EXCEPTION 'the peer''s connection string holds a password, which a merge job would keep in the job queue'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Name a foreign server whose user mapping holds the password (CREATE SERVER ... FOREIGN DATA WRAPPER dblink_fdw; '
                         || 'CREATE USER MAPPING ...), or leave the password to the server''s ~/.pgpass.';
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._check_merge_peer(text) IS
    'Internal (start_merge and merge jobs): refuses an empty peer and a connection string with a password';

CREATE FUNCTION steep_repl.merge_progress(p_merge_id text DEFAULT NULL)
RETURNS TABLE (
    merge_id text,
    status text,
    phase text,
    percent double precision,
    tables_completed integer,
    tables_total integer,
    current_table text,
    rows_done bigint,
    started_at timestamptz,
    error_message text
)
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.run_id, p.status, p.phase, p.percent, p.tables_completed, p.tables_total, p.current_table,
           p.rows_done, p.started_at, p.error_message
    FROM steep_repl._run_progress(p_merge_id, ARRAY['merge'], 'merge',
                                  'steep_repl.merge_audit_log lists the merge runs you can see.') p;
$$;

COMMENT ON FUNCTION steep_repl.merge_progress(text) IS
    'Progress of one merge run, or of every pending and running one: live from shared memory while running, from steep_repl.merge_audit_log otherwise';

CREATE FUNCTION steep_repl.cancel_merge(p_merge_id text)
RETURNS steep_repl.merge_audit_log
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_merge steep_repl.merge_audit_log;
BEGIN
    PERFORM steep_repl._cancel_run(p_merge_id, ARRAY['merge'], 'merge',
                                   'steep_repl.merge_audit_log lists the merge runs you can see.');
    SELECT * INTO STRICT v_merge FROM steep_repl.merge_audit_log m WHERE m.merge_id = p_merge_id;
    RETURN v_merge;
END;
$$;

COMMENT ON FUNCTION steep_repl.cancel_merge(text) IS
    'Cancels a merge run: a pending one at once, a running one by request (tables already merged stay merged; the table being merged is rolled back)';

CREATE FUNCTION steep_repl.wait_merge(p_merge_id text, p_timeout interval DEFAULT NULL)
RETURNS steep_repl.merge_audit_log
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_merge steep_repl.merge_audit_log;
BEGIN
    PERFORM steep_repl._wait_run(p_merge_id, p_timeout, ARRAY['merge'], 'merge',
                                 'steep_repl.merge_audit_log lists the merge runs you can see.');
    SELECT * INTO STRICT v_merge FROM steep_repl.merge_audit_log m WHERE m.merge_id = p_merge_id;
    RETURN v_merge;
END;
$$;

COMMENT ON FUNCTION steep_repl.wait_merge(text, interval) IS
    'Waits until a merge run is complete, failed or cancelled and returns its row; raises 57014 when p_timeout passes first (the run goes on)';
