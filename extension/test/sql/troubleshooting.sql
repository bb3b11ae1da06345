-- The troubleshooting queries of docs/operations.md, on a server whose
-- supervisor runs but finds no Java (run-regress.sh), so no worker can start.
\set SHOW_CONTEXT never

-- steep_repl's processes and sessions.  A background worker shows its own
-- type in backend_type (the supervisor, snapshot holders); the Java worker is
-- no backend, but its sessions are client backends named in application_name.
SELECT backend_type, application_name, usename, datname
FROM pg_stat_activity
WHERE starts_with(backend_type, 'steep_repl') OR starts_with(application_name, 'steep_repl')
ORDER BY backend_type, application_name;

-- The quickstart's query finds nothing: no backend has that type here.
SELECT count(*) AS typed_background_worker
FROM pg_stat_activity WHERE backend_type = 'background worker';

-- health(): a worker that cannot start is an error, not a warning.
SELECT component, status, detail FROM steep_repl.health()
WHERE component IN ('supervisor', 'java_worker');
