CREATE FUNCTION steep_repl._cancel_run(p_run_id text, p_ops text[], p_noun text, p_listing text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run steep_repl.runs;
BEGIN
    /*
     * Cancels the run's job (cancel_job: a pending job at once, a running
     * one by request); the work_queue triggers update the history row.
     * Row-level security hides other roles' runs, so they "do not exist".
     */
    SELECT * INTO v_run FROM steep_repl.runs s WHERE s.run_id = p_run_id AND s.op = ANY (p_ops);
    IF NOT FOUND THEN
        RAISE EXCEPTION '% % does not exist', p_noun, coalesce(p_run_id, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = p_listing;
    END IF;
    IF v_run.status NOT IN ('pending', 'running') OR v_run.job_id IS NULL THEN
        RAISE NOTICE '% % is already %', p_noun, p_run_id, v_run.status;
        RETURN;
    END IF;

    BEGIN
        PERFORM steep_repl.cancel_job(v_run.job_id);
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'permission denied to cancel % %', p_noun, p_run_id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('Only the role that started a %s, or a member of that role, can cancel it.', p_noun);
    END;
END;
$$;

COMMENT ON FUNCTION steep_repl._cancel_run(text, text[], text, text) IS
    'Internal (cancel_snapshot, cancel_merge): cancels a run''s job, a pending one at once, a running one by request';

CREATE FUNCTION steep_repl.cancel_snapshot(p_snapshot_id text)
RETURNS steep_repl.snapshots
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_snapshot steep_repl.snapshots;
BEGIN
    PERFORM steep_repl._cancel_run(p_snapshot_id, ARRAY['generate', 'apply'], 'snapshot',
                                   'steep_repl.snapshots lists the snapshot runs you can see.');
    SELECT * INTO STRICT v_snapshot FROM steep_repl.snapshots s WHERE s.snapshot_id = p_snapshot_id;
    RETURN v_snapshot;
END;
$$;

COMMENT ON FUNCTION steep_repl.cancel_snapshot(text) IS
    'Cancels a snapshot run: a pending one at once, a running one by request (it stops within seconds, status cancelled)';
