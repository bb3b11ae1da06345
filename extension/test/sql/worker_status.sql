-- The supervisor serves this database; the Java it is configured with does
-- not exist here, so it keeps backing off and never starts a worker.
\set SHOW_CONTEXT never

SELECT supervisor_pid IS NOT NULL AS supervisor_running, worker_pid, worker_starts,
       worker_started_at, worker_connected_at, last_exit_at IS NOT NULL AS has_exit_time,
       last_exit_status, database, java_path, state
FROM steep_repl.worker_status();

-- The supervisor is a background worker connected to no database (it keeps
-- none from being dropped).
SELECT backend_type, datname, application_name
FROM pg_stat_activity
WHERE pid = (SELECT supervisor_pid FROM steep_repl.worker_status());

-- pg_cancel_backend() does not stop it.
SELECT supervisor_pid AS supervisor_before FROM steep_repl.worker_status() \gset
SELECT pg_cancel_backend(:supervisor_before);
SELECT pg_sleep(0.5);
SELECT supervisor_pid = :supervisor_before AS same_supervisor, state
FROM steep_repl.worker_status();

-- _wake_supervisor only wakes it at commit; nothing changes here.
SELECT steep_repl._wake_supervisor();
SELECT state FROM steep_repl.worker_status();

-- _worker_connected records the time; the state changes only for a worker
-- the supervisor started.
SELECT steep_repl._worker_connected();
SELECT worker_connected_at IS NOT NULL AS connected_recorded, state
FROM steep_repl.worker_status();

-- Anybody may read the status; only the worker may report.
SET ROLE regress_bob;
SELECT state FROM steep_repl.worker_status();
SELECT steep_repl._worker_connected();
SELECT steep_repl._wake_supervisor();
RESET ROLE;
