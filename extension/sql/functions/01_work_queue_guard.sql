-- Trigger function of steep_repl.work_queue: keeps jobs tied to their submitter.
CREATE FUNCTION steep_repl._work_queue_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_is_superuser boolean;
BEGIN
    /*
     * A job runs with the privileges of submitted_by, so only a superuser
     * may name anybody but itself there.
     */
    SELECT r.rolsuper INTO v_is_superuser
    FROM pg_catalog.pg_roles r
    WHERE r.rolname = CURRENT_USER;

    IF TG_OP = 'INSERT' THEN
        IF NOT v_is_superuser THEN
            NEW.submitted_by := CURRENT_USER;
        END IF;
        RETURN NEW;
    END IF;

    IF NEW.submitted_by IS DISTINCT FROM OLD.submitted_by AND NOT v_is_superuser THEN
        RAISE EXCEPTION 'only a superuser can change the submitter of job %', OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A job runs with the privileges of the role that submitted it.';
    END IF;
    IF OLD.cancel_requested AND NOT NEW.cancel_requested AND NOT v_is_superuser THEN
        RAISE EXCEPTION 'the cancellation of job % cannot be withdrawn', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Submit the job again instead.';
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
    'Trigger on work_queue: forces submitted_by to the current user for non-superusers, forbids changing it, and turns a cancel request on a pending job into status cancelled';

REVOKE ALL ON FUNCTION steep_repl._work_queue_guard() FROM PUBLIC;
