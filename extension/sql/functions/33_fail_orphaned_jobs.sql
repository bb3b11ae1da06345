CREATE FUNCTION steep_repl._fail_orphaned_jobs(p_reason text)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_id bigint;
    v_count integer := 0;
BEGIN
    /*
     * Called when no worker can still be running any job: by the supervisor
     * when it starts and after the Java worker exits, and by the worker when
     * it starts.  Each job is failed or requeued exactly as a failed run.
     */
    FOR v_id IN
        SELECT q.id
        FROM steep_repl.work_queue q
        WHERE q.status = 'running'
        ORDER BY q.id
        FOR UPDATE
    LOOP
        PERFORM steep_repl._finish_job(v_id, 'failed', p_reason);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

COMMENT ON FUNCTION steep_repl._fail_orphaned_jobs(text) IS
    'Internal (supervisor and Java worker): fails, or requeues while attempts remain, every job left running; returns how many';

REVOKE ALL ON FUNCTION steep_repl._fail_orphaned_jobs(text) FROM PUBLIC;
