-- A job session's privilege boundary (src/job_session.c, docs/security.md).

CREATE FUNCTION steep_repl._enter_job_role(p_role oid)
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_enter_job_role';

COMMENT ON FUNCTION steep_repl._enter_job_role(oid) IS
    'Internal (Java worker): the rest of the session runs as the role inside a security-restricted operation, which no SET ROLE, RESET ROLE or SET SESSION AUTHORIZATION can leave; superuser sessions only, outside a transaction block';

REVOKE ALL ON FUNCTION steep_repl._enter_job_role(oid) FROM PUBLIC;
