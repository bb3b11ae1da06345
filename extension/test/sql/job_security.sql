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
-- a direct update finds no row either
UPDATE steep_repl.work_queue SET cancel_requested = true WHERE id = :alice_job;
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

-- Even a role granted full write access cannot run jobs as somebody else.
CREATE ROLE regress_job_admin;
GRANT INSERT, UPDATE ON steep_repl.work_queue TO regress_job_admin;
SET ROLE regress_job_admin;
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('admin.job', 'postgres');
SELECT kind, submitted_by FROM steep_repl.jobs WHERE kind = 'admin.job';
UPDATE steep_repl.work_queue SET submitted_by = 'postgres' WHERE kind = 'admin.job';
-- nor withdraw a cancellation
SELECT kind, status FROM steep_repl.cancel_job(
    (SELECT id FROM steep_repl.jobs WHERE kind = 'admin.job'));
UPDATE steep_repl.work_queue SET cancel_requested = false WHERE kind = 'admin.job';
RESET ROLE;
-- a superuser may submit on behalf of a role
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('on.behalf', 'regress_bob');
SELECT kind, submitted_by FROM steep_repl.work_queue WHERE kind = 'on.behalf';

-- The jobs of a dropped role do not break anybody's queries.
CREATE ROLE regress_gone;
SET ROLE regress_gone;
SELECT kind FROM steep_repl.submit_job('gone.job');
RESET ROLE;
DROP ROLE regress_gone;
SET ROLE regress_alice;
SELECT count(*) AS visible_to_alice FROM steep_repl.jobs;
RESET ROLE;

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
    ($$DELETE FROM steep_repl.work_queue$$)
) AS t(call);
RESET ROLE;

-- Audit entries name their real author.
SET ROLE regress_alice;
INSERT INTO steep_repl.audit_log (action, target) VALUES ('note', 'by alice');
INSERT INTO steep_repl.audit_log (action, actor) VALUES ('note', 'postgres');
RESET ROLE;
SELECT action, target, actor FROM steep_repl.audit_log WHERE action = 'note';

-- Clean up for the next tests.
DELETE FROM steep_repl.work_queue;
