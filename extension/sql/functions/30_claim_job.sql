CREATE FUNCTION steep_repl._claim_job(p_worker_pid integer)
RETURNS steep_repl.work_queue
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
-- a role granted UPDATE on the table can LOCK it: the worker gives up and tries again
SET lock_timeout = '1s'
AS $$
    /*
     * One statement: the oldest pending, uncancelled job that is due becomes
     * running.  SKIP LOCKED lets concurrent claimers take different jobs.
     * No due job: a row of NULLs.
     */
    UPDATE steep_repl.work_queue q
    SET status = 'running',
        attempts = q.attempts + 1,
        started_at = clock_timestamp(),
        heartbeat_at = clock_timestamp(),
        finished_at = NULL,
        worker_pid = p_worker_pid
    WHERE q.id = (
        SELECT c.id
        FROM steep_repl.work_queue c
        WHERE c.status = 'pending'
          AND NOT c.cancel_requested
          AND c.run_after <= now()
        ORDER BY c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING q.*;
$$;

COMMENT ON FUNCTION steep_repl._claim_job(integer) IS
    'Internal (Java worker): marks the oldest due pending job running for the given worker process and returns it';

REVOKE ALL ON FUNCTION steep_repl._claim_job(integer) FROM PUBLIC;
