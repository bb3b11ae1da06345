-- Install the extension on a server that preloads steep_repl.
\set SHOW_CONTEXT never
CREATE EXTENSION steep_repl;
SELECT steep_repl.bgworker_available();
SELECT name, setting, context FROM pg_settings
WHERE name IN ('steep_repl.database', 'steep_repl.max_job_slots') ORDER BY name;
CREATE ROLE regress_reader;
