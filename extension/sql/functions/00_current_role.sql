-- The roles a job or a run belongs to, by OID (work_queue.submitted_by is a regrole).
CREATE FUNCTION steep_repl._current_role()
RETURNS regrole
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /* The current user, as the OID jobs are bound to; SQL functions run as their caller. */
    SELECT r.oid::pg_catalog.regrole FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER;
$$;

COMMENT ON FUNCTION steep_repl._current_role() IS
    'The current user as a regrole (an OID): what work_queue.submitted_by records';

CREATE FUNCTION steep_repl._acts_for(p_role regrole, p_member regrole DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * Whether p_member (the current user when NULL) is the role, a member
     * of it, or a superuser.  A dropped role's OID matches nobody
     * (pg_has_role would raise an error for it).
     */
    SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r
                   WHERE r.oid = p_role
                     AND CASE WHEN p_member IS NULL THEN pg_catalog.pg_has_role(r.oid, 'MEMBER')
                              ELSE pg_catalog.pg_has_role(p_member, r.oid, 'MEMBER') END);
$$;

COMMENT ON FUNCTION steep_repl._acts_for(regrole, regrole) IS
    'True when the role p_member (default: the current user) is p_role or a member of it; false for a role that no longer exists';

CREATE FUNCTION steep_repl._require_privilege(p_caller regrole, p_table regclass, p_privileges text)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /*
     * For the functions that act with the owner's rights on the caller's
     * behalf (src/with_caller.c): the table privileges the caller would need
     * to do the same with plain SQL.
     */
    IF NOT pg_catalog.has_table_privilege(p_caller, p_table, p_privileges) THEN
        -- worded as PostgreSQL words its own refusal
        RAISE EXCEPTION 'permission denied for table %',
                        (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = p_table)
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('Ask the administrator for GRANT %s ON %s TO %s.', p_privileges, p_table, p_caller);
    END IF;
END;
$$;

COMMENT ON FUNCTION steep_repl._require_privilege(regrole, regclass, text) IS
    'Raises insufficient_privilege unless the role has all the listed privileges on the table';

REVOKE ALL ON FUNCTION steep_repl._require_privilege(regrole, regclass, text) FROM PUBLIC;

CREATE FUNCTION steep_repl._audit(p_caller regrole, p_action text, p_target text, p_details jsonb)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    /* The one writer of audit_log, called by the extension's own functions only. */
    INSERT INTO steep_repl.audit_log (actor, action, target, details)
    SELECT coalesce((SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = p_caller), p_caller::text),
           p_action, p_target, coalesce(p_details, '{}');
$$;

COMMENT ON FUNCTION steep_repl._audit(regrole, text, text, jsonb) IS
    'Internal: appends an audit_log entry for the given role';

REVOKE ALL ON FUNCTION steep_repl._audit(regrole, text, text, jsonb) FROM PUBLIC;
