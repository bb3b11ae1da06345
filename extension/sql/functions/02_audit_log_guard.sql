-- Trigger function of steep_repl.audit_log: an entry names its real author.
CREATE FUNCTION steep_repl._audit_log_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
        NEW.actor := CURRENT_USER;
        NEW.at := now();
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION steep_repl._audit_log_guard() IS
    'Trigger on audit_log: forces actor to the current user and at to now() for non-superusers';

REVOKE ALL ON FUNCTION steep_repl._audit_log_guard() FROM PUBLIC;
