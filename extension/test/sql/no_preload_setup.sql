-- Install the extension on a server that does not preload steep_repl.
\set SHOW_CONTEXT never
CREATE EXTENSION steep_repl;
SELECT steep_repl.bgworker_available();

CREATE ROLE regress_alice;
CREATE ROLE regress_bob;
CREATE ROLE regress_node_admin;
GRANT INSERT, UPDATE, DELETE ON steep_repl.nodes TO regress_node_admin;

-- Loading the library defines the reloadable settings even without preload;
-- the server-start ones exist only with shared_preload_libraries.
SELECT name, CASE WHEN name = 'steep_repl.jvm_options' THEN '(below)' ELSE setting END AS setting,
       unit, context
FROM pg_settings WHERE name LIKE 'steep\_repl.%' ORDER BY name;
-- The worker's JVM options, one to a line.
SELECT pg_catalog.regexp_split_to_table(setting, ' ') AS jvm_option
FROM pg_settings WHERE name = 'steep_repl.jvm_options';
