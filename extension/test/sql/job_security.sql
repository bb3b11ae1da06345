-- Row-level security and the submitter guard on steep_repl.work_queue.
\set SHOW_CONTEXT never

SET ROLE regress_alice;
SELECT kind, submitted_by FROM steep_repl.submit_job('alice.job');
-- alice sees only her own job
SELECT kind, submitted_by FROM steep_repl.jobs ORDER BY id;
RESET ROLE;

SET ROLE regress_team;
SELECT kind, submitted_by FROM steep_repl.submit_job('team.job');
RESET ROLE;

SET ROLE regress_bob;
SELECT kind, submitted_by FROM steep_repl.submit_job('bob.job');
RESET ROLE;
SELECT id AS alice_job FROM steep_repl.work_queue WHERE kind = 'alice.job' \gset
SELECT id AS team_job FROM steep_repl.work_queue WHERE kind = 'team.job' \gset
SELECT id AS bob_job FROM steep_repl.work_queue WHERE kind = 'bob.job' \gset

-- bob cannot see alice's job, nor cancel it: for him it does not exist
SET ROLE regress_bob;
SELECT kind, submitted_by FROM steep_repl.jobs ORDER BY id;
SELECT try(format('SELECT steep_repl.cancel_job(%s)', :alice_job));
-- nobody but the extension may update job rows, not even their own
UPDATE steep_repl.work_queue SET cancel_requested = true WHERE id = :alice_job;
SELECT kind FROM steep_repl.work_queue WHERE id = :bob_job FOR UPDATE;
RESET ROLE;
SELECT kind, status, cancel_requested FROM steep_repl.work_queue WHERE id = :alice_job;

-- alice, a member of regress_team, sees and cancels the team's jobs
SET ROLE regress_alice;
SELECT kind, submitted_by FROM steep_repl.jobs ORDER BY id;
SELECT kind, status FROM steep_repl.cancel_job(:team_job);
RESET ROLE;

-- pg_monitor members see every job but cancel none
SET ROLE regress_monitor;
SELECT kind, submitted_by FROM steep_repl.jobs ORDER BY id;
SELECT try(format('SELECT steep_repl.cancel_job(%s)', :bob_job));
RESET ROLE;

-- The submitter cannot be forged: a named submitter is replaced, ...
SET ROLE regress_alice;
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('forged.job', 'postgres');
-- ... neither the run state nor the id can be chosen, ...
INSERT INTO steep_repl.work_queue (kind, status) VALUES ('forged.job', 'running');
INSERT INTO steep_repl.work_queue (id, kind) OVERRIDING SYSTEM VALUE VALUES (1000000, 'forged.job');
-- ... and the submitter cannot be changed afterwards.
UPDATE steep_repl.work_queue SET submitted_by = 'regress_bob' WHERE kind = 'forged.job';
RESET ROLE;
SELECT kind, submitted_by, status FROM steep_repl.work_queue WHERE kind = 'forged.job';

-- Even a role granted full write access (as the quickstart grants) cannot
-- run jobs as somebody else, rewrite a job's state, or lock a job row.
CREATE ROLE regress_job_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA steep_repl TO regress_job_admin;
SET ROLE regress_job_admin;
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('admin.job', 'postgres');
SELECT kind, submitted_by FROM steep_repl.jobs WHERE kind = 'admin.job';
UPDATE steep_repl.work_queue SET submitted_by = 'postgres' WHERE kind = 'admin.job';
-- nor withdraw a cancellation
SELECT kind, status FROM steep_repl.cancel_job(
    (SELECT id FROM steep_repl.jobs WHERE kind = 'admin.job'));
UPDATE steep_repl.work_queue SET cancel_requested = false WHERE kind = 'admin.job';
UPDATE steep_repl.work_queue SET status = 'complete' WHERE kind = 'admin.job';
DELETE FROM steep_repl.work_queue WHERE kind = 'admin.job';
SELECT count(*) AS locked FROM (SELECT FROM steep_repl.work_queue FOR UPDATE) l;
-- nor touch the audit log or the snapshot history
DELETE FROM steep_repl.audit_log;
INSERT INTO steep_repl.audit_log (actor, action) VALUES ('postgres', 'forged');
UPDATE steep_repl.audit_log SET actor = 'nobody';
INSERT INTO steep_repl.snapshots (snapshot_id, op, path, parallel, submitted_by)
VALUES ('snap_20260101_000000_00000000', 'generate', '/x', 1, 'postgres');
RESET ROLE;
SELECT kind, status, cancel_requested, submitted_by FROM steep_repl.work_queue WHERE kind = 'admin.job';
SELECT count(*) > 0 AS audit_kept FROM steep_repl.audit_log;
-- a superuser may submit on behalf of a role
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('on.behalf', 'regress_bob');
SELECT kind, submitted_by FROM steep_repl.work_queue WHERE kind = 'on.behalf';

-- The jobs of a dropped role do not break anybody's queries, and a role
-- created later under the same name does not inherit them: jobs are bound
-- to the role's OID.
CREATE ROLE regress_gone;
SET ROLE regress_gone;
SELECT id AS gone_job FROM steep_repl.submit_job('gone.job') \gset
RESET ROLE;
DROP ROLE regress_gone;
SET ROLE regress_alice;
SELECT count(*) AS visible_to_alice FROM steep_repl.jobs;
RESET ROLE;
CREATE ROLE regress_gone;
SET ROLE regress_gone;
SELECT count(*) AS inherited FROM steep_repl.jobs;
SELECT try(format('SELECT steep_repl.cancel_job(%s)', :gone_job));
RESET ROLE;
SELECT status, submitted_by::text ~ '^[0-9]+$' AS bound_to_dropped_oid
FROM steep_repl.work_queue WHERE kind = 'gone.job';
DROP ROLE regress_gone;

-- A cancel acts for the role that calls it, even from inside another role's
-- SECURITY DEFINER function: bob's function, run by alice, cancels as bob.
SET ROLE regress_alice;
SELECT id AS alice_job2 FROM steep_repl.submit_job('alice.job2') \gset
RESET ROLE;
CREATE FUNCTION public.bob_cancels(p_id bigint) RETURNS text LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT (steep_repl.cancel_job(p_id)).status $$;
ALTER FUNCTION public.bob_cancels(bigint) OWNER TO regress_bob;
SET ROLE regress_alice;
SELECT try(format('SELECT public.bob_cancels(%s)', :alice_job2));
RESET ROLE;
SELECT status, cancel_requested FROM steep_repl.work_queue WHERE id = :alice_job2;
SET ROLE regress_alice;
SELECT status FROM steep_repl.cancel_job(:alice_job2);
RESET ROLE;
SELECT action, target = 'job ' || :alice_job2 AS this_job, actor FROM steep_repl.audit_log
WHERE action = 'job.cancel' ORDER BY id DESC LIMIT 1;
DROP FUNCTION public.bob_cancels(bigint);

-- Internal functions are for the worker only.
SET ROLE regress_alice;
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl._claim_job(1)$$),
    ($$SELECT steep_repl._heartbeat_jobs(ARRAY[1]::bigint[])$$),
    ($$SELECT steep_repl._finish_job(1, 'complete')$$),
    ($$SELECT steep_repl._fail_orphaned_jobs('x')$$),
    ($$SELECT steep_repl._prune_jobs()$$),
    ($$SELECT steep_repl._worker_connected()$$),
    ($$SELECT steep_repl._wake_supervisor()$$),
    ($$SELECT steep_repl._report_progress(1, 'k', 'p', 0, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._finish_progress(1)$$),
    ($$SELECT * FROM steep_repl.audit_log$$),
    ($$SELECT steep_repl._cancel_job('regress_bob', 1)$$),
    ($$SELECT steep_repl._register_node('postgres', 'n', 'n', 'h')$$),
    ($$SELECT steep_repl._audit('postgres', 'forged', NULL, NULL)$$),
    ($$DELETE FROM steep_repl.work_queue$$)
) AS t(call);
RESET ROLE;

-- Audit entries are written by the extension only.
SET ROLE regress_alice;
INSERT INTO steep_repl.audit_log (action, target) VALUES ('note', 'by alice');
RESET ROLE;
SELECT count(*) AS notes FROM steep_repl.audit_log WHERE action = 'note';

-- Clean up for the next tests.
DROP OWNED BY regress_job_admin;
DROP ROLE regress_job_admin;
DELETE FROM steep_repl.work_queue;
