-- _enter_job_role: a job session runs as the submitter inside a
-- security-restricted operation, which code the submitter owns cannot leave.
\set SHOW_CONTEXT never

CREATE ROLE regress_job_alice;  -- NOLOGIN: roles that own jobs need not log in
CREATE ROLE regress_job_mallory;
CREATE SCHEMA regress_job AUTHORIZATION regress_job_alice;
SET ROLE regress_job_alice;
CREATE TABLE regress_job.t (v integer);
-- what a hostile submitter puts on a table a job writes
CREATE FUNCTION regress_job.escalate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RESET ROLE;
    ALTER ROLE regress_job_alice SUPERUSER;
    RETURN NEW;
END;
$$;
CREATE TRIGGER escalate BEFORE INSERT ON regress_job.t
    FOR EACH ROW EXECUTE FUNCTION regress_job.escalate();
CREATE TABLE regress_job.parent (id integer PRIMARY KEY);
CREATE TABLE regress_job.child (
    parent_id integer REFERENCES regress_job.parent DEFERRABLE INITIALLY DEFERRED);
INSERT INTO regress_job.parent VALUES (1);
RESET ROLE;

-- SET ROLE alone is no boundary: the trigger makes its owner superuser.
SET ROLE regress_job_alice;
INSERT INTO regress_job.t VALUES (1);
SELECT current_user;
RESET ROLE;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_job_alice';
ALTER ROLE regress_job_alice NOSUPERUSER;

-- Refused: ...
-- ... to PUBLIC, by the privilege,
SET ROLE regress_job_mallory;
SELECT steep_repl._enter_job_role('regress_job_mallory'::regrole);
RESET ROLE;
-- ... and, in C, to a session that did not log in as a superuser, even
-- with EXECUTE; after SET ROLE;
GRANT EXECUTE ON FUNCTION steep_repl._enter_job_role(oid) TO regress_job_mallory;
SET ROLE regress_job_mallory;
SELECT steep_repl._enter_job_role('regress_job_mallory'::regrole);
RESET ROLE;
SET SESSION AUTHORIZATION regress_job_mallory;
SELECT steep_repl._enter_job_role('regress_job_mallory'::regrole);
RESET SESSION AUTHORIZATION;
REVOKE EXECUTE ON FUNCTION steep_repl._enter_job_role(oid) FROM regress_job_mallory;
-- ... inside a transaction block, a multi-statement query, an exception block;
BEGIN;
SELECT steep_repl._enter_job_role('regress_job_alice'::regrole);
ROLLBACK;
SELECT 1 \; SELECT steep_repl._enter_job_role('regress_job_alice'::regrole);
SELECT try($$SELECT steep_repl._enter_job_role('regress_job_alice'::regrole)$$);
-- ... a role that does not exist.
SELECT steep_repl._enter_job_role(0);
SELECT steep_repl._enter_job_role(NULL);
SELECT steep_repl._enter_job_role(1);
-- None of these changed the session.
SELECT current_user, session_user;

-- alice may execute it, to show that a second call is refused by the
-- function itself.
GRANT EXECUTE ON FUNCTION steep_repl._enter_job_role(oid) TO regress_job_alice;

SELECT steep_repl._enter_job_role('regress_job_alice'::regrole);
SELECT current_user, session_user;

-- No way back to the login role.
RESET ROLE;
SET ROLE postgres;
BEGIN;
SET LOCAL ROLE postgres;
ROLLBACK;
SET SESSION AUTHORIZATION postgres;
RESET SESSION AUTHORIZATION;
SELECT set_config('role', 'postgres', false);
SELECT set_config('session_authorization', 'postgres', false);
SELECT steep_repl._enter_job_role('postgres'::regrole);
SELECT current_user;

-- The trigger fails, and alice stays what she was.
INSERT INTO regress_job.t VALUES (2);
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_job_alice';
SELECT count(*) FROM regress_job.t;

-- Commits and aborts keep the session as it is.
BEGIN;
SELECT 1;
COMMIT;
BEGIN;
SELECT 1 / 0;
ROLLBACK;
SELECT try('SELECT 1 / 0');
SELECT current_user, session_user;
RESET ROLE;
INSERT INTO regress_job.t VALUES (3);
SELECT current_user, rolsuper FROM pg_roles WHERE rolname = 'regress_job_alice';

-- What else a security-restricted operation refuses (docs/worker.md).
CREATE TEMPORARY TABLE regress_job_temp (v integer);
LISTEN regress_job_channel;
DISCARD ALL;
PREPARE regress_job_plan AS SELECT 1;
INSERT INTO regress_job.child VALUES (1);
-- and what a job needs still works
CREATE INDEX ON regress_job.parent (id);
ANALYZE regress_job.parent;
SELECT count(*) FROM regress_job.parent;

-- A new session is the login role again.
\c - postgres
SELECT current_user, session_user;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_job_alice';
DROP SCHEMA regress_job CASCADE;
REVOKE EXECUTE ON FUNCTION steep_repl._enter_job_role(oid) FROM regress_job_alice;
DROP ROLE regress_job_alice;
DROP ROLE regress_job_mallory;
