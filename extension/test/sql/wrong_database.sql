-- Jobs are only accepted in steep_repl.database ("postgres" here).
\set SHOW_CONTEXT never
SHOW steep_repl.database;
SELECT current_database();
SELECT steep_repl.submit_job('test.sleep');
SELECT try($$SELECT steep_repl.submit_job('test.sleep')$$);
-- Everything else works here.
SELECT node_id FROM steep_repl.register_node('node-a', 'Node A', 'localhost');
SELECT node_id, state FROM steep_repl.node_status();
