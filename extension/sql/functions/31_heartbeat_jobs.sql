CREATE FUNCTION steep_repl._heartbeat_jobs(p_ids bigint[])
RETURNS TABLE (id bigint, cancel_requested boolean)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE steep_repl.work_queue q
    SET heartbeat_at = clock_timestamp()
    WHERE q.id = ANY (p_ids)
      AND q.status = 'running'
    RETURNING q.id, q.cancel_requested;
$$;

COMMENT ON FUNCTION steep_repl._heartbeat_jobs(bigint[]) IS
    'Internal (Java worker): records that the given running jobs are alive and returns their cancel flags';

REVOKE ALL ON FUNCTION steep_repl._heartbeat_jobs(bigint[]) FROM PUBLIC;
