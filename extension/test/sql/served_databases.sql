-- Which databases the worker serves: steep_repl.databases ('*' by default:
-- every database that has the extension); jobs are refused only in a
-- database it excludes.  CREATE EXTENSION announces its database.
\set SHOW_CONTEXT never
SHOW steep_repl.databases;
SHOW steep_repl.database;
CREATE DATABASE regress_elsewhere;
\c regress_elsewhere
CREATE EXTENSION steep_repl;
-- announced at commit (no worker runs here to pick it up)
SELECT database, state, dropping FROM steep_repl.served_databases()
WHERE database = 'regress_elsewhere';
SELECT component, status, detail FROM steep_repl.health()
WHERE component = 'database regress_elsewhere';
SELECT served_databases FROM steep_repl.worker_status();
SELECT id, kind, status FROM steep_repl.submit_job('test.sleep');
SELECT steep_repl.serves_database('regress_elsewhere'), steep_repl.serves_database('postgres');

-- A list that leaves this database out: refused, with a hint, nothing queued.
ALTER SYSTEM SET steep_repl.databases = 'postgres, "Other DB"';
SELECT pg_reload_conf();
SELECT pg_sleep(0.2);
SHOW steep_repl.databases;
SELECT steep_repl.serves_database('regress_elsewhere'), steep_repl.serves_database('postgres'),
       steep_repl.serves_database('Other DB'), steep_repl.serves_database('other db');
SELECT steep_repl.submit_job('test.sleep');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM steep_repl.work_queue;
SELECT component, status, detail FROM steep_repl.health()
WHERE component = 'supervisor';
-- the other functions work in any database
SELECT node_id FROM steep_repl.register_node('node-a', 'Node A', 'localhost');
SELECT count(*) AS progress_rows FROM steep_repl.job_progress();

-- A value that is no list is refused and changes nothing.
ALTER SYSTEM SET steep_repl.databases = 'a,,b';
ALTER SYSTEM SET steep_repl.databases = '"unterminated';
ALTER SYSTEM RESET steep_repl.databases;
SELECT pg_reload_conf();
SELECT pg_sleep(0.2);
SHOW steep_repl.databases;

-- Only the worker publishes states; a bad state is refused.
SELECT steep_repl._serve_database(0, 'serving-ish', NULL);
SELECT steep_repl._serve_database(d.oid, 'announced', NULL)
FROM pg_database d WHERE d.datname = 'regress_elsewhere';
CREATE ROLE regress_served_hostile;
SET ROLE regress_served_hostile;
SELECT steep_repl._serve_database(d.oid, 'gone', NULL)
FROM pg_database d WHERE d.datname = 'regress_elsewhere';
SELECT count(*) AS visible FROM steep_repl.served_databases() WHERE database = 'regress_elsewhere';
RESET ROLE;
DROP ROLE regress_served_hostile;
SELECT steep_repl._serve_database(d.oid, 'error', 'cannot connect: no entry in pg_hba.conf')
FROM pg_database d WHERE d.datname = 'regress_elsewhere';
SELECT component, status, detail FROM steep_repl.health()
WHERE component = 'database regress_elsewhere';

-- A DROP DATABASE that cannot run (inside a transaction block) leaves the
-- entry alone.
\c postgres
BEGIN;
DROP DATABASE regress_elsewhere;
ROLLBACK;
SELECT database, state, detail, dropping FROM steep_repl.served_databases()
WHERE database = 'regress_elsewhere';

-- DROP DATABASE of a database in the list goes through (no worker to wait
-- for here) and takes its entry with it.
DROP DATABASE regress_elsewhere;
SELECT count(*) FROM steep_repl.served_databases() WHERE database_id NOT IN (SELECT oid FROM pg_database);
