-- Snapshot holders: a background worker exports a job's snapshot and keeps
-- it, and the locks on its tables, until the job no longer needs them.
\set SHOW_CONTEXT never

-- Waits (up to 10 s) until no holder serves the job.
CREATE FUNCTION public.await_no_holder(p_job_id bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..200 LOOP
        IF NOT EXISTS (SELECT FROM steep_repl.held_snapshots() h WHERE h.job_id = p_job_id) THEN
            RETURN true;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN false;
END;
$$;

CREATE TABLE public.holder_rows (id integer PRIMARY KEY);
CREATE TABLE public.holder_secret (id integer);
INSERT INTO public.holder_rows VALUES (1);
GRANT SELECT ON public.holder_rows TO regress_alice;

-- A running job (its progress is reported from this session) whose role
-- cannot log in: the holder connects as our session user and runs as it.
SELECT id AS job FROM steep_repl.submit_job('holder.test', '{}', 2) \gset
UPDATE steep_repl.work_queue SET submitted_by = 'regress_alice' WHERE id = :job;
SELECT id = :job AS claimed FROM steep_repl._claim_job(4242);
SELECT steep_repl._report_progress(:job, 'holder.test', 'copying', 0, NULL, 0, 0, 0, 0, 0, 0) > 0 AS reported;

-- A new holder: the snapshot's name and the WAL position at the export.
SELECT snapshot_name AS held_name, lsn AS held_lsn, reused AS held_reused
FROM steep_repl._hold_snapshot(:job, 'regress_alice') \gset
SELECT :'held_reused' AS reused,
       :'held_name' ~ '^[0-9A-F]{8}-[0-9A-F]{8}-[0-9]+$' AS exported_name,
       :'held_lsn'::pg_lsn <= pg_current_wal_insert_lsn() AS lsn_not_ahead;

-- A row committed after the export is not in the held snapshot.
INSERT INTO public.holder_rows VALUES (2);
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'held_name';
SELECT array_agg(id ORDER BY id) AS rows_in_held_snapshot FROM public.holder_rows;
COMMIT;
SELECT array_agg(id ORDER BY id) AS rows_now FROM public.holder_rows;

-- Only a role with the privileges of the job's role may import the held
-- snapshot: another role cannot, by its name nor by a guessed name of the
-- same transaction ...
SELECT regexp_replace(:'held_name', '[0-9]+$', '2') AS guessed_name \gset
-- (names differ from run to run: only SQLSTATEs are shown, then the message)
SET ROLE regress_bob;
\set VERBOSITY sqlstate
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'held_name';
ROLLBACK;
SELECT :'LAST_ERROR_MESSAGE' = format('permission denied to import snapshot "%s"', :'held_name') AS held_name_refused;
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'guessed_name';
ROLLBACK;
SELECT :'LAST_ERROR_MESSAGE' = format('permission denied to import snapshot "%s"', :'guessed_name') AS guessed_name_refused;
\set VERBOSITY default
RESET ROLE;
-- ... the job's role can, as the worker's job sessions run (current user the
-- submitter, session user a superuser) ...
SET ROLE regress_alice;
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'held_name';
SELECT current_user, array_agg(id ORDER BY id) AS rows_in_held_snapshot FROM public.holder_rows;
COMMIT;
RESET ROLE;
-- ... and as pg_dump runs (PGOPTIONS "-c role=<submitter>")
\c "dbname=postgres user=postgres options='-c role=regress_alice'"
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'held_name';
SELECT current_user, session_user, array_agg(id ORDER BY id) AS rows_in_held_snapshot FROM public.holder_rows;
COMMIT;
-- ... and so can a job session that entered the role for good
\c "dbname=postgres user=postgres"
SELECT steep_repl._enter_job_role('regress_alice'::regrole);
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET TRANSACTION SNAPSHOT :'held_name';
SELECT current_user, session_user, array_agg(id ORDER BY id) AS rows_in_held_snapshot FROM public.holder_rows;
COMMIT;
\c "dbname=postgres user=postgres"

-- Asking again returns the same snapshot.
SELECT snapshot_name = :'held_name' AS same_name, lsn = :'held_lsn' AS same_lsn, reused
FROM steep_repl._hold_snapshot(:job, 'regress_alice');
-- ...but not as another role
SELECT regexp_replace(try(format('SELECT * FROM steep_repl._hold_snapshot(%s, %L)', :job, 'regress_team')),
                      'job \d+', 'job N');

-- What a DBA sees.
SELECT job_id = :job AS our_job, pid IS NOT NULL AS has_pid, database, role, state,
       snapshot_name = :'held_name' AS same_name, lsn = :'held_lsn' AS same_lsn,
       held_since <= clock_timestamp() AS held_since_past, tables_locked
FROM steep_repl.held_snapshots();
SELECT a.backend_type, a.application_name = 'steep_repl snapshot holder for job ' || :job AS names_job,
       a.usename, a.state, a.query = format('holding snapshot %s for job %s', :'held_name', :job) AS query_names_snapshot,
       a.backend_xmin IS NOT NULL AS holds_back_xmin
FROM pg_stat_activity a JOIN steep_repl.held_snapshots() h ON a.pid = h.pid;

-- Locks: taken by the holder, kept until it exits; a table is counted once.
SELECT steep_repl._lock_held_snapshot(:job, ARRAY['public.holder_rows'::regclass]);
SELECT steep_repl._lock_held_snapshot(:job, ARRAY['public.holder_rows'::regclass, 'public.holder_rows']);
SELECT steep_repl._lock_held_snapshot(:job, '{}');
SELECT l.relation::regclass AS relation, l.mode, l.granted
FROM pg_locks l JOIN steep_repl.held_snapshots() h ON l.pid = h.pid
WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY 1;
SELECT tables_locked FROM steep_repl.held_snapshots();
SET lock_timeout = '200ms';
SELECT try('DROP TABLE public.holder_rows');
RESET lock_timeout;
-- what LOCK TABLE would refuse the role, and bad input
SELECT try(format('SELECT steep_repl._lock_held_snapshot(%s, ARRAY[%L::regclass])', :job, 'public.holder_secret'));
SELECT try(format('SELECT steep_repl._lock_held_snapshot(%s, ARRAY[NULL::regclass])', :job));
SELECT try(format('SELECT steep_repl._lock_held_snapshot(%s, NULL)', :job));
SELECT try($$SELECT steep_repl._lock_held_snapshot(990000, ARRAY['public.holder_rows'::regclass])$$);
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(0, 'regress_alice')$$);
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990000, NULL)$$);

-- Privileges: internal functions are not for PUBLIC; the list is.
SET ROLE regress_bob;
SELECT try(format('SELECT * FROM steep_repl._hold_snapshot(%s, %L)', :job, 'regress_bob'));
SELECT try(format('SELECT steep_repl._lock_held_snapshot(%s, %L)', :job, '{}'));
SELECT try(format('SELECT steep_repl._release_snapshot(%s)', :job));
RESET ROLE;
-- the list shows the holders of jobs of roles whose privileges one has;
-- superusers and pg_read_all_stats see all
CREATE ROLE regress_stats_reader IN ROLE pg_read_all_stats;
SET ROLE regress_bob;
SELECT count(*) AS bob_sees FROM steep_repl.held_snapshots();
RESET ROLE;
SET ROLE regress_alice;
SELECT count(*) AS alice_sees FROM steep_repl.held_snapshots();
RESET ROLE;
SET ROLE regress_stats_reader;
SELECT count(*) AS stats_reader_sees FROM steep_repl.held_snapshots();
RESET ROLE;
DROP ROLE regress_stats_reader;
-- whoever may call it can hold snapshots only as a role it has the privileges of
GRANT EXECUTE ON FUNCTION steep_repl._hold_snapshot(bigint, regrole, text) TO regress_bob;
SET ROLE regress_bob;
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990000, 'regress_alice')$$);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION steep_repl._hold_snapshot(bigint, regrole, text) FROM regress_bob;

-- A failed run that will be retried keeps the holder; the retry gets the same snapshot.
SELECT status FROM steep_repl._finish_job(:job, 'failed', 'first attempt failed');
SELECT state FROM steep_repl.held_snapshots() WHERE job_id = :job;
UPDATE steep_repl.work_queue SET run_after = now() WHERE id = :job;
SELECT id = :job AS claimed FROM steep_repl._claim_job(4242);
SELECT snapshot_name = :'held_name' AS same_name, reused
FROM steep_repl._hold_snapshot(:job, 'regress_alice');

-- The job's end releases it: snapshot, locks and slot are gone.
SELECT status FROM steep_repl._finish_job(:job, 'complete');
SELECT public.await_no_holder(:job) AS holder_gone;
SELECT count(*) AS snapshot_files FROM pg_ls_dir('pg_snapshots') f WHERE f = :'held_name';
SELECT steep_repl._release_snapshot(:job) AS released_again;
DROP TABLE public.holder_rows;
SELECT steep_repl._finish_progress(:job);

-- A lock request waits like LOCK TABLE (here for our own ACCESS EXCLUSIVE
-- lock), within statement_timeout; a holder released while it waits ends.
CREATE TABLE public.holder_busy (id integer);
GRANT SELECT ON public.holder_busy TO regress_alice;
SELECT reused FROM steep_repl._hold_snapshot(990001, 'regress_alice');
BEGIN;
LOCK TABLE public.holder_busy IN ACCESS EXCLUSIVE MODE;
SET LOCAL statement_timeout = '300ms';
DO $$
BEGIN
    PERFORM steep_repl._lock_held_snapshot(990001, ARRAY['public.holder_busy'::regclass]);
EXCEPTION WHEN query_canceled THEN
    RAISE NOTICE 'lock request: %', SQLERRM;
END;
$$;
SET LOCAL statement_timeout = 0;
SELECT a.wait_event_type, a.wait_event
FROM pg_stat_activity a JOIN steep_repl.held_snapshots() h ON a.pid = h.pid
WHERE h.job_id = 990001;
SELECT steep_repl._release_snapshot(990001) AS released;
SELECT public.await_no_holder(990001) AS holder_gone;
COMMIT;
DROP TABLE public.holder_busy;

-- With p_import the holder keeps a snapshot exported elsewhere (a replication
-- slot's, say), importable after its exporter has ended, under a name of its own.
CREATE TABLE public.holder_import (id integer);
GRANT SELECT ON public.holder_import TO regress_alice;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT pg_export_snapshot() AS exported, pg_current_snapshot()::text AS exported_xids \gset
-- an xid of ours, running from now on: a snapshot taken later would list it
SELECT txid_current() > 0 AS has_xid;
SELECT snapshot_name AS imported_held, snapshot_name <> :'exported' AS own_name, reused
FROM steep_repl._hold_snapshot(990008, 'regress_alice', :'exported') \gset
COMMIT;
SELECT :'own_name' AS own_name, :'reused' AS reused;
INSERT INTO public.holder_import VALUES (1);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET TRANSACTION SNAPSHOT :'imported_held';
SELECT count(*) AS rows_seen, pg_current_snapshot()::text = :'exported_xids' AS same_snapshot
FROM public.holder_import;
COMMIT;
SELECT steep_repl._release_snapshot(990008) AS released;
SELECT public.await_no_holder(990008) AS holder_gone;
DROP TABLE public.holder_import;
-- a snapshot that cannot be imported: the holder says why it could not hold it
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990009, 'regress_alice', '0000000F-0000000F-1')$$);
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990009, 'regress_alice', '')$$);

-- Released on request, whatever its job does.
SELECT reused FROM steep_repl._hold_snapshot(990001, 'regress_alice');
SELECT steep_repl._release_snapshot(990001) AS released;
SELECT public.await_no_holder(990001) AS holder_gone;

-- A holder per job slot (steep_repl.max_job_slots is 4 here).
SELECT count(*) AS holders
FROM generate_series(990001, 990004) j, steep_repl._hold_snapshot(j, 'regress_alice') h;
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990005, 'regress_alice')$$);
SELECT count(*) FILTER (WHERE steep_repl._release_snapshot(j)) AS released
FROM generate_series(990001, 990004) j;
SELECT bool_and(public.await_no_holder(j)) AS holders_gone FROM generate_series(990001, 990004) j;

-- A holder whose job has not been running for snapshot_hold_grace seconds ends.
ALTER SYSTEM SET steep_repl.snapshot_hold_grace = 0;
SELECT pg_reload_conf();
SELECT pg_sleep(0.2);
SHOW steep_repl.snapshot_hold_grace;
SELECT reused FROM steep_repl._hold_snapshot(990006, 'regress_alice');
SELECT public.await_no_holder(990006) AS holder_gone;
ALTER SYSTEM RESET steep_repl.snapshot_hold_grace;
SELECT pg_reload_conf();

-- A holder that dies before it exports is reported as such (here: it cannot
-- connect as our session user, who may not log in).
CREATE ROLE regress_holder_nologin SUPERUSER NOLOGIN;
SET SESSION AUTHORIZATION regress_holder_nologin;
SELECT try($$SELECT * FROM steep_repl._hold_snapshot(990007, 'regress_alice')$$);
RESET SESSION AUTHORIZATION;
DROP ROLE regress_holder_nologin;
SELECT count(*) AS holders FROM steep_repl.held_snapshots();

-- Clean up for the next tests.
DROP TABLE public.holder_secret;
DROP FUNCTION public.await_no_holder(bigint);
DELETE FROM steep_repl.work_queue;
