CREATE FUNCTION steep_repl.cancel_snapshot(p_snapshot_id text)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_snapshot steep_repl.snapshots;
BEGIN
    /*
     * Cancels the run's job (cancel_job: a pending job at once, a running
     * one by request); the work_queue trigger updates the snapshots row.
     * Row-level security hides other roles' runs, so they "do not exist".
     */
    SELECT * INTO v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'snapshot % does not exist', coalesce(p_snapshot_id, 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'steep_repl.snapshots lists the snapshot runs you can see.';
    END IF;
    IF v_snapshot.status NOT IN ('pending', 'running') OR v_snapshot.job_id IS NULL THEN
        RAISE NOTICE 'snapshot % is already %', p_snapshot_id, v_snapshot.status;
        RETURN v_snapshot;
    END IF;

    BEGIN
        PERFORM steep_repl.cancel_job(v_snapshot.job_id);
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'permission denied to cancel snapshot %', p_snapshot_id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only the role that started a snapshot, or a member of that role, can cancel it.';
    END;

    SELECT * INTO STRICT v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.cancel_snapshot(text) IS
    'Cancels a snapshot run: a pending one at once, a running one by request (it stops within seconds, status cancelled)';
