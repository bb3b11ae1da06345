-- Jobs are only accepted in steep_repl.database ("postgres" here); the rest
-- of the extension works in any database.
\set SHOW_CONTEXT never
SHOW steep_repl.database;
CREATE DATABASE regress_elsewhere;
\c regress_elsewhere
CREATE EXTENSION steep_repl;
SELECT steep_repl.submit_job('test.sleep');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM steep_repl.work_queue;
SELECT component, status, detail FROM steep_repl.health()
WHERE component IN ('supervisor', 'java_worker');
SELECT node_id FROM steep_repl.register_node('node-a', 'Node A', 'localhost');
SELECT count(*) AS progress_rows FROM steep_repl.job_progress();
\c postgres
DROP DATABASE regress_elsewhere;
