-- health() with shared memory, on a database the supervisor does not serve.
\set SHOW_CONTEXT never

SELECT * FROM steep_repl.health();
SELECT steep_repl._report_progress(7, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT component, status, detail FROM steep_repl.health() WHERE component = 'shared_memory';
SELECT steep_repl._finish_progress(7);

-- Failed jobs show up, for those who may see them.
INSERT INTO steep_repl.work_queue (kind, submitted_by) VALUES ('test.fail', 'postgres');
SELECT id AS failing_job FROM steep_repl._claim_job(1) \gset
SELECT status FROM steep_repl._finish_job(:failing_job, 'failed', 'disk full');
SELECT * FROM steep_repl.health() WHERE component IN ('queue', 'last_error');
SET ROLE regress_reader;
SELECT * FROM steep_repl.health() WHERE component IN ('queue', 'last_error');
RESET ROLE;

-- A check that fails is reported, not raised.
REVOKE SELECT ON steep_repl.nodes FROM PUBLIC;
SET ROLE regress_reader;
SELECT * FROM steep_repl.health() WHERE component = 'nodes';
RESET ROLE;
GRANT SELECT ON steep_repl.nodes TO PUBLIC;
