-- The supervisor and the Java worker (src/worker_status.c).

CREATE FUNCTION steep_repl.bgworker_available()
RETURNS boolean
LANGUAGE C
STABLE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_bgworker_available';

COMMENT ON FUNCTION steep_repl.bgworker_available() IS
    'True when steep_repl was loaded by shared_preload_libraries, so shared memory and the supervisor exist; never raises';

CREATE FUNCTION steep_repl.worker_status()
RETURNS TABLE (
    supervisor_pid integer,
    worker_pid integer,
    worker_starts integer,
    worker_started_at timestamptz,
    worker_connected_at timestamptz,
    last_exit_at timestamptz,
    last_exit_status text,
    database text,
    java_path text,
    state text,
    served_databases text
)
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_worker_status';

COMMENT ON FUNCTION steep_repl.worker_status() IS
    'The supervisor background worker and its Java worker process: pids, starts, times, last exit, state, and the served databases with their states; needs shared_preload_libraries';

CREATE FUNCTION steep_repl._worker_connected()
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_worker_connected';

COMMENT ON FUNCTION steep_repl._worker_connected() IS
    'Internal (Java worker): records that the worker has connected, for worker_status()';

REVOKE ALL ON FUNCTION steep_repl._worker_connected() FROM PUBLIC;

CREATE FUNCTION steep_repl._wake_supervisor()
RETURNS void
LANGUAGE C
VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'steep_repl_wake_supervisor';

COMMENT ON FUNCTION steep_repl._wake_supervisor() IS
    'Internal (install script): wakes the supervisor when the current transaction commits; a no-op without shared_preload_libraries';

REVOKE ALL ON FUNCTION steep_repl._wake_supervisor() FROM PUBLIC;
