CREATE FUNCTION steep_repl._heartbeat_jobs(p_ids bigint[])
RETURNS TABLE (id bigint, cancel_requested boolean)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
-- a role granted UPDATE on the table can LOCK it: the worker gives up and tries again
SET lock_timeout = '1s'
AS $$
    /*
     * A row that a transaction holds (cancel_job not yet committed) is
     * skipped, never waited for: its heartbeat comes with the next tick.
     */
    UPDATE steep_repl.work_queue q
    SET heartbeat_at = clock_timestamp()
    WHERE q.id IN (SELECT l.id FROM steep_repl.work_queue l
                   WHERE l.id = ANY (p_ids) AND l.status = 'running'
                   FOR UPDATE SKIP LOCKED)
    RETURNING q.id, q.cancel_requested;
$$;

COMMENT ON FUNCTION steep_repl._heartbeat_jobs(bigint[]) IS
    'Internal (Java worker): records that the given running jobs are alive and returns their cancel flags';

REVOKE ALL ON FUNCTION steep_repl._heartbeat_jobs(bigint[]) FROM PUBLIC;
