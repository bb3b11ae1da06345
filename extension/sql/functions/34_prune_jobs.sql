CREATE FUNCTION steep_repl._prune_jobs()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- a role granted UPDATE on the table can LOCK it: the worker gives up and tries again
SET lock_timeout = '1s'
AS $$
DECLARE
    v_setting text;
    v_retention interval;
    v_ids bigint[];
BEGIN
    /*
     * Calling into the library defines steep_repl.* in this session, so the
     * setting reads with its unit ('7d'); a bare number from postgresql.conf
     * would otherwise be taken for seconds.
     */
    PERFORM steep_repl.bgworker_available();
    v_setting := coalesce(nullif(current_setting('steep_repl.job_retention', true), ''), '7d');
    v_retention := v_setting::interval;
    IF v_retention <= interval '0' THEN
        RETURN 0;               -- 0 keeps finished jobs forever
    END IF;

    WITH pruned AS (
        DELETE FROM steep_repl.work_queue q
        WHERE q.id IN (SELECT o.id FROM steep_repl.work_queue o
                       WHERE o.status IN ('complete', 'failed', 'cancelled')
                         AND o.finished_at < now() - v_retention
                       FOR UPDATE SKIP LOCKED)
        RETURNING q.id
    )
    SELECT array_agg(p.id ORDER BY p.id) INTO v_ids FROM pruned p;

    IF v_ids IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM steep_repl._audit(steep_repl._current_role(), 'job.prune', NULL,
                              jsonb_build_object('ids', to_jsonb(v_ids), 'retention', v_setting));
    RETURN cardinality(v_ids);
END;
$$;

COMMENT ON FUNCTION steep_repl._prune_jobs() IS
    'Internal (Java worker): deletes finished jobs older than steep_repl.job_retention and audits their ids; returns how many';

REVOKE ALL ON FUNCTION steep_repl._prune_jobs() FROM PUBLIC;
