CREATE FUNCTION steep_repl._fail_orphaned_jobs(p_reason text, p_live_worker_pid integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- a role granted UPDATE on the table can LOCK it: the worker gives up and tries again
SET lock_timeout = '1s'
AS $$
DECLARE
    v_id bigint;
    v_count integer := 0;
BEGIN
    /*
     * Called when no worker can still be running any job: by the supervisor
     * when it starts and after the Java worker exits, and by the worker when
     * it starts.  Each job is failed or requeued exactly as a failed run.
     * A row that a transaction holds is skipped rather than waited for; the
     * running worker calls this again on its prune round with its own pid,
     * which spares the jobs it runs.
     */
    FOR v_id IN
        SELECT q.id
        FROM steep_repl.work_queue q
        WHERE q.status = 'running'
          AND q.worker_pid IS DISTINCT FROM p_live_worker_pid
        ORDER BY q.id
        FOR UPDATE SKIP LOCKED
    LOOP
        PERFORM steep_repl._finish_job(v_id, 'failed', p_reason);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

COMMENT ON FUNCTION steep_repl._fail_orphaned_jobs(text, integer) IS
    'Internal (supervisor and Java worker): fails, or requeues while attempts remain, every job left running; returns how many';

REVOKE ALL ON FUNCTION steep_repl._fail_orphaned_jobs(text, integer) FROM PUBLIC;
