-- Install the extension in "postgres", check what the install
-- script created, and create the roles the later tests use.
\set SHOW_CONTEXT never
CREATE EXTENSION steep_repl;

CREATE ROLE regress_alice;
CREATE ROLE regress_bob;
CREATE ROLE regress_team;
GRANT regress_team TO regress_alice;
CREATE ROLE regress_monitor IN ROLE pg_monitor;

-- The supervisor serves this database: CREATE EXTENSION wakes it, it fails
-- to find Java (on purpose, see run-regress.sh) and backs off.  Wait for
-- that, so that it cannot touch the jobs of the following tests.
DO $$
BEGIN
    FOR i IN 1..300 LOOP
        EXIT WHEN (SELECT state FROM steep_repl.worker_status()) = 'backing off';
        PERFORM pg_sleep(0.1);
    END LOOP;
END;
$$;
SELECT state, last_exit_status FROM steep_repl.worker_status();

-- Every function pins search_path and has a comment; only the trigger
-- functions that keep steep_repl.snapshots in step with work_queue are SECURITY
-- DEFINER; internal ones (leading "_") are not executable by PUBLIC.
SELECT p.proname,
       p.prosecdef AS security_definer,
       'search_path=pg_catalog, pg_temp' = ANY (p.proconfig) AS pinned_search_path,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented,
       has_function_privilege('regress_bob', p.oid, 'EXECUTE') AS public_execute
FROM pg_proc p
WHERE p.pronamespace = 'steep_repl'::regnamespace
ORDER BY p.proname;

-- Tables: comments, row-level security, kept by pg_dump.
SELECT c.relname, c.relkind,
       obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       c.relrowsecurity AS row_security,
       c.oid = ANY (e.extconfig) AS dumped_with_data
FROM pg_class c, pg_extension e
WHERE c.relnamespace = 'steep_repl'::regnamespace
  AND c.relkind IN ('r', 'v', 'S')
  AND e.extname = 'steep_repl'
ORDER BY c.relname;

-- Privileges of an ordinary role on the tables.
SELECT t.tab, p.priv, has_table_privilege('regress_bob', t.tab, p.priv) AS granted
FROM unnest(ARRAY['steep_repl.nodes', 'steep_repl.work_queue', 'steep_repl.audit_log', 'steep_repl.jobs']) AS t(tab),
     unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(priv)
ORDER BY 1, 2;
SELECT c.col, has_column_privilege('regress_bob', 'steep_repl.work_queue', c.col, 'INSERT') AS can_insert,
       has_column_privilege('regress_bob', 'steep_repl.work_queue', c.col, 'UPDATE') AS can_update
FROM unnest(ARRAY['id', 'kind', 'params', 'max_attempts', 'run_after', 'submitted_by',
                  'status', 'attempts', 'cancel_requested', 'result']) AS c(col)
ORDER BY 1;

SELECT steep_repl.bgworker_available();
SELECT name, setting, context FROM pg_settings
WHERE name IN ('steep_repl.database', 'steep_repl.max_job_slots') ORDER BY name;
