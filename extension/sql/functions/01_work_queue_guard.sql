-- Trigger function of steep_repl.work_queue: keeps jobs tied to their submitter.
CREATE FUNCTION steep_repl._work_queue_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /*
     * Runs as the inserting role (not SECURITY DEFINER), so the current user
     * is the real submitter.  A job runs with the privileges of
     * submitted_by, so only a superuser may name anybody but itself there.
     * Other roles cannot UPDATE job rows at all (no grant); the extension's
     * own functions and the worker can.
     */
    IF TG_OP = 'INSERT' THEN
        IF NEW.submitted_by IS NULL
           OR NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
            NEW.submitted_by := steep_repl._current_role();
        END IF;
        RETURN NEW;
    END IF;

    -- A pending job has not started: cancelling it needs no worker.
    IF NEW.cancel_requested AND NOT OLD.cancel_requested
       AND OLD.status = 'pending' AND NEW.status = 'pending' THEN
        NEW.status := 'cancelled';
        NEW.finished_at := now();
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION steep_repl._work_queue_guard() IS
    'Trigger on work_queue: forces submitted_by to the current user for non-superusers and turns a cancel request on a pending job into status cancelled';

REVOKE ALL ON FUNCTION steep_repl._work_queue_guard() FROM PUBLIC;
