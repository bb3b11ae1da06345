/*-------------------------------------------------------------------------
 *
 * worker_status.c
 *	  SQL functions about the supervisor and the Java worker: worker_status,
 *	  bgworker_available, _worker_connected and _wake_supervisor.
 *
 * They read or write the supervisor status in the shared area under its
 * LWLock (see shmem.h).  _wake_supervisor keeps one backend-local flag,
 * wake_at_commit, that only its own backend touches.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "miscadmin.h"
#include "commands/dbcommands.h"

#include "served_databases.h"
#include "shmem.h"
#include "steep_repl.h"

#define WORKER_STATUS_COLUMNS 11

static bool wake_at_commit = false;
static bool announce_at_commit = false;
static bool wake_callback_registered = false;

static const char *supervisor_state_name(SupervisorState state);
static void wake_supervisor_at_commit(XactEvent event, void *arg);
static void set_timestamp_or_null(Datum *value, bool *isnull, TimestampTz ts);
static void set_text_or_null(Datum *value, bool *isnull, const char *str);

PG_FUNCTION_INFO_V1(steep_repl_bgworker_available);
PG_FUNCTION_INFO_V1(steep_repl_worker_status);
PG_FUNCTION_INFO_V1(steep_repl_worker_connected);
PG_FUNCTION_INFO_V1(steep_repl_wake_supervisor);

/* bgworker_available(): never raises. */
Datum
steep_repl_bgworker_available(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(steep_repl_shared != NULL);
}

static const char *
supervisor_state_name(SupervisorState state)
{
	switch (state)
	{
		case SUPERVISOR_NOT_STARTED:
			return "not started";
		case SUPERVISOR_WAITING_FOR_EXTENSION:
			return "waiting for extension";
		case SUPERVISOR_STARTING:
			return "starting";
		case SUPERVISOR_RUNNING:
			return "running";
		case SUPERVISOR_BACKING_OFF:
			return "backing off";
		case SUPERVISOR_STOPPED:
			return "stopped";
	}
	return "unknown";
}

static void
set_timestamp_or_null(Datum *value, bool *isnull, TimestampTz ts)
{
	*isnull = (ts == 0);
	*value = TimestampTzGetDatum(ts);
}

static void
set_text_or_null(Datum *value, bool *isnull, const char *str)
{
	*isnull = (str[0] == '\0');
	*value = *isnull ? (Datum) 0 : CStringGetTextDatum(str);
}

/*
 * worker_status(): one row; pids and times are NULL when there is none;
 * served_databases sums up served_databases().
 */
Datum
steep_repl_worker_status(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SupervisorStatus status;
	Datum		values[WORKER_STATUS_COLUMNS];
	bool		nulls[WORKER_STATUS_COLUMNS];
	int			col = 0;
	char	   *summary;

	InitMaterializedSRF(fcinfo, 0);

	LWLockAcquire(shared->lock, LW_SHARED);
	status = shared->supervisor;
	LWLockRelease(shared->lock);

	memset(nulls, 0, sizeof(nulls));
	nulls[col] = (status.supervisor_pid == 0);
	values[col++] = Int32GetDatum(status.supervisor_pid);
	nulls[col] = (status.worker_pid == 0);
	values[col++] = Int32GetDatum(status.worker_pid);
	values[col++] = Int32GetDatum(status.worker_starts);
	set_timestamp_or_null(&values[col], &nulls[col], status.worker_started_at);
	col++;
	set_timestamp_or_null(&values[col], &nulls[col], status.worker_connected_at);
	col++;
	set_timestamp_or_null(&values[col], &nulls[col], status.last_exit_at);
	col++;
	set_text_or_null(&values[col], &nulls[col], status.last_exit_status);
	col++;
	values[col++] = CStringGetTextDatum(steep_repl_served_scope());
	set_text_or_null(&values[col], &nulls[col], status.java_path);
	col++;
	values[col++] = CStringGetTextDatum(supervisor_state_name(status.state));
	summary = steep_repl_served_summary();
	nulls[col] = (summary == NULL);
	values[col++] = summary == NULL ? (Datum) 0 : CStringGetTextDatum(summary);
	Assert(col == WORKER_STATUS_COLUMNS);

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/* _worker_connected(): the Java worker reports that it is connected. */
Datum
steep_repl_worker_connected(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	TimestampTz now = GetCurrentTimestamp();

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->supervisor.worker_connected_at = now;
	if (shared->supervisor.state == SUPERVISOR_STARTING)
		shared->supervisor.state = SUPERVISOR_RUNNING;
	LWLockRelease(shared->lock);

	PG_RETURN_VOID();
}

/*
 * _wake_supervisor(): when the calling transaction commits, announces the
 * current database to the worker if steep_repl.databases covers it, and sets
 * the supervisor's latch.  The install script calls it: nobody can see the
 * new extension before that commit.  A no-op without shared memory.
 */
Datum
steep_repl_wake_supervisor(PG_FUNCTION_ARGS)
{
	if (steep_repl_shared == NULL)
		PG_RETURN_VOID();

	if (!wake_callback_registered)
	{
		RegisterXactCallback(wake_supervisor_at_commit, NULL);
		wake_callback_registered = true;
	}
	wake_at_commit = true;
	announce_at_commit = steep_repl_database_in_scope(get_database_name(MyDatabaseId));
	PG_RETURN_VOID();
}

static void
wake_supervisor_at_commit(XactEvent event, void *arg)
{
	if (!wake_at_commit)
		return;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
			wake_at_commit = false;
			if (announce_at_commit)
				steep_repl_served_announce(MyDatabaseId);
			steep_repl_served_wake_supervisor();
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			wake_at_commit = false;
			break;
		default:
			break;
	}
}
