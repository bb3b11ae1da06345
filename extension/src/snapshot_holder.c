/*-------------------------------------------------------------------------
 *
 * snapshot_holder.c
 *	  The "steep_repl snapshot holder" background worker and the SQL
 *	  functions that start, use, release and list holders: _hold_snapshot,
 *	  _lock_held_snapshot, _release_snapshot and held_snapshots.
 *
 * A holder is a dynamic background worker, a child of the postmaster, so a
 * snapshot it exports survives the death of the Java worker that asked for
 * it: a retry of the same job imports the same snapshot.  It opens a
 * REPEATABLE READ, READ ONLY transaction, exports its snapshot, publishes
 * the name and the WAL insert position, and then only waits: for lock
 * requests (ACCESS SHARE, kept until it exits), for a release, for SIGTERM,
 * or until its job has not been running for steep_repl.snapshot_hold_grace.
 * It never commits; it ends by aborting, which is all a read-only
 * transaction needs.
 *
 * Shared state: the holder slots of the steep_repl area, under the area's
 * LWLock (see snapshot_holder.h and job_slots.h).  A slot is claimed by the
 * requester (state starting, generation bumped) before the worker is
 * registered; the worker checks the generation it was given, so a worker
 * that starts after its requester gave up leaves a reused slot alone.  The
 * holder frees its slot in a before_shmem_exit callback registered before
 * its database connection, so it runs after the transaction has been
 * aborted: a free slot never names a snapshot that can still be imported.
 *
 * Lock requests travel in a DSM segment the requester creates: the
 * relation OIDs in, the holder's answer back.  One request is outstanding
 * per holder at a time; the requester reads the answer from its own
 * segment, so concurrent requesters never see each other's answers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/lmgr.h"
#include "storage/procarray.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_lsn.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "job_slots.h"
#include "snapshot_holder.h"
#include "steep_repl.h"

#define HOLDER_TYPE					"steep_repl snapshot holder"
/* how long _hold_snapshot waits for a new holder to publish its snapshot */
#define HOLDER_START_TIMEOUT_MS		30000
/* requesters re-check the holder this often even when not woken */
#define REQUESTER_POLL_MS			100
/* the holder checks whether its job still runs this often */
#define HOLDER_POLL_MS				1000
#define HELD_SNAPSHOTS_COLUMNS		9

/* A lock request, in the requester's DSM segment. */
typedef struct LockRequest
{
	int			count;
	char		error[HOLDER_ERROR_LEN];	/* the holder's answer; empty = ok */
	Oid			relids[FLEXIBLE_ARRAY_MEMBER];
} LockRequest;

/* The holder process's own view of its slot */
static HolderSlot *my_slot = NULL;
static uint64 my_generation = 0;
static int64 my_job_id = 0;
static char my_snapshot_name[HOLDER_SNAPSHOT_NAME_LEN];
static HTAB *locked_relations = NULL;

PG_FUNCTION_INFO_V1(steep_repl_hold_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_lock_held_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_release_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_held_snapshots);

static HolderSlot *find_holder(SteepReplShared *shared, int64 job_id);
static void claim_slot(HolderSlot *slot, int64 job_id, Oid role_id,
					   const char *import_name);
static void free_slot_if_starting(SteepReplShared *shared, HolderSlot *slot,
								  uint64 generation);
static BackgroundWorkerHandle *register_holder(int index, uint64 generation,
											   int64 job_id);
static void await_publication(SteepReplShared *shared, HolderSlot *slot,
							  uint64 generation, BackgroundWorkerHandle *handle,
							  int64 job_id, char *name, XLogRecPtr *lsn);
static int64 job_id_arg(FunctionCallInfo fcinfo);
static void holder_exit(int code, Datum arg);
static void export_snapshot(Oid role_id, const char *import_name);
static void hold(void);
static bool job_is_running(int64 job_id);
static void serve_lock_request(dsm_handle handle, uint64 request);
static void lock_relations(LockRequest *request);
static void record_failure(char *dst, const char *what);

Size
snapshot_holder_shmem_size(int num_slots)
{
	return mul_size(num_slots, sizeof(HolderSlot));
}

/* The area is zeroed already; only the condition variables need more. */
void
snapshot_holder_shmem_init(HolderSlot *slots, int num_slots)
{
	int			i;

	for (i = 0; i < num_slots; i++)
		ConditionVariableInit(&slots[i].changed);
}

/* ------------------------------------------------------------------------
 * SQL functions, in the requesting backend
 * ------------------------------------------------------------------------
 */

static int64
job_id_arg(FunctionCallInfo fcinfo)
{
	int64		job_id;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("job id must not be null")));
	job_id = PG_GETARG_INT64(0);
	if (job_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("job id " INT64_FORMAT " is invalid", job_id),
				 errhint("A job id is the positive id of a row in steep_repl.work_queue.")));
	return job_id;
}

/*
 * The slot of the job's holder, unless it is being released; NULL when
 * there is none.  The caller holds the lock.
 */
static HolderSlot *
find_holder(SteepReplShared *shared, int64 job_id)
{
	int			i;

	for (i = 0; i < shared->num_slots; i++)
	{
		HolderSlot *slot = &shared->holders[i];

		if (slot->state != HOLDER_FREE && !slot->release_requested &&
			slot->job_id == job_id)
			return slot;
	}
	return NULL;
}

/* The caller holds the lock exclusively. */
static void
claim_slot(HolderSlot *slot, int64 job_id, Oid role_id, const char *import_name)
{
	slot->state = HOLDER_STARTING;
	slot->release_requested = false;
	slot->generation++;
	slot->job_id = job_id;
	slot->database_id = MyDatabaseId;
	slot->connect_as = GetSessionUserId();
	slot->role_id = role_id;
	slot->pid = 0;
	slot->latch = NULL;
	strlcpy(slot->import_name, import_name, HOLDER_SNAPSHOT_NAME_LEN);
	slot->snapshot_name[0] = '\0';
	slot->lsn = InvalidXLogRecPtr;
	slot->requested_at = GetCurrentTimestamp();
	slot->held_since = 0;
	slot->tables_locked = 0;
	slot->lock_requested = 0;
	slot->lock_done = 0;
	slot->lock_segment = DSM_HANDLE_INVALID;
	slot->failure[0] = '\0';
}

/* Gives up a slot whose holder never attached. */
static void
free_slot_if_starting(SteepReplShared *shared, HolderSlot *slot, uint64 generation)
{
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	if (slot->generation == generation && slot->state == HOLDER_STARTING &&
		slot->pid == 0)
		slot->state = HOLDER_FREE;
	LWLockRelease(shared->lock);
	ConditionVariableBroadcast(&slot->changed);
}

static BackgroundWorkerHandle *
register_holder(int index, uint64 generation, int64 job_id)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	/* a holder that dies has lost its snapshot: restarting it is no use */
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, STEEP_REPL_NAME, sizeof(worker.bgw_library_name));
	strlcpy(worker.bgw_function_name, "steep_repl_snapshot_holder_main",
			sizeof(worker.bgw_function_name));
	snprintf(worker.bgw_name, sizeof(worker.bgw_name),
			 HOLDER_TYPE " for job " INT64_FORMAT, job_id);
	strlcpy(worker.bgw_type, HOLDER_TYPE, sizeof(worker.bgw_type));
	worker.bgw_main_arg = Int32GetDatum(index);
	memcpy(worker.bgw_extra, &generation, sizeof(generation));
	/* the postmaster wakes us when it starts or stops */
	worker.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		return NULL;
	return handle;
}

/*
 * Waits until the holder of slot (claimed as generation) has published its
 * snapshot, then copies name and LSN out.  handle is NULL when another
 * session started the holder.
 */
static void
await_publication(SteepReplShared *shared, HolderSlot *slot, uint64 generation,
				  BackgroundWorkerHandle *handle, int64 job_id,
				  char *name, XLogRecPtr *lsn)
{
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   HOLDER_START_TIMEOUT_MS);
	bool		stopped = false;

	for (;;)
	{
		HolderState state;
		uint64		current;
		char		failure[HOLDER_ERROR_LEN];
		pid_t		pid;

		LWLockAcquire(shared->lock, LW_SHARED);
		current = slot->generation;
		state = slot->state;
		if (current == generation)
		{
			strlcpy(failure, slot->failure, sizeof(failure));
			/* a holder that has published may already have ended again */
			strlcpy(name, slot->snapshot_name, HOLDER_SNAPSHOT_NAME_LEN);
			*lsn = slot->lsn;
		}
		LWLockRelease(shared->lock);

		if (current == generation && name[0] != '\0')
			break;
		if (current != generation || state == HOLDER_FREE)
		{
			ConditionVariableCancelSleep();
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("snapshot holder for job " INT64_FORMAT " exited before it published its snapshot",
							job_id),
					 current == generation && failure[0] != '\0' ?
					 errdetail("%s", failure) : 0,
					 errhint("The server log has the holder's messages.")));
		}
		if (stopped)
		{
			/* it exited without ever attaching to its slot */
			free_slot_if_starting(shared, slot, generation);
			ConditionVariableCancelSleep();
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("snapshot holder for job " INT64_FORMAT " exited before it published its snapshot",
							job_id),
					 errhint("The server log has the holder's messages.")));
		}
		if (handle != NULL &&
			GetBackgroundWorkerPid(handle, &pid) == BGWH_STOPPED)
		{
			/* read the slot once more: it may have published, then exited */
			stopped = true;
			continue;
		}
		if (GetCurrentTimestamp() >= deadline)
		{
			if (handle != NULL)
				TerminateBackgroundWorker(handle);
			free_slot_if_starting(shared, slot, generation);
			ConditionVariableCancelSleep();
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("snapshot holder for job " INT64_FORMAT " did not publish its snapshot within %d seconds",
							job_id, HOLDER_START_TIMEOUT_MS / 1000),
					 errhint("The server log has the holder's messages.")));
		}
		/* also checks for interrupts */
		(void) ConditionVariableTimedSleep(&slot->changed, REQUESTER_POLL_MS,
										   PG_WAIT_EXTENSION);
	}
	ConditionVariableCancelSleep();
}

/*
 * _hold_snapshot(p_job_id, p_role): the job's held snapshot, starting a
 * holder that runs as p_role when the job has none.
 */
Datum
steep_repl_hold_snapshot(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = job_slots_require();
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		job_id = job_id_arg(fcinfo);
	Oid			role_id;
	HolderSlot *slot = NULL;
	uint64		generation;
	bool		reused;
	BackgroundWorkerHandle *handle = NULL;
	char		name[HOLDER_SNAPSHOT_NAME_LEN] = "";
	char		import_name[HOLDER_SNAPSHOT_NAME_LEN] = "";
	XLogRecPtr	lsn = InvalidXLogRecPtr;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			i;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("role must not be null")));
	role_id = PG_GETARG_OID(1);
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		char	   *given = text_to_cstring(PG_GETARG_TEXT_PP(2));

		/* the holder's import checks the name itself; here only that it fits */
		if (strlen(given) == 0 || strlen(given) >= HOLDER_SNAPSHOT_NAME_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid snapshot identifier to import: \"%s\"", given)));
		strlcpy(import_name, given, sizeof(import_name));
	}
	if (!has_privs_of_role(GetUserId(), role_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to hold a snapshot as role \"%s\"",
						GetUserNameFromId(role_id, false)),
				 errhint("Only a member of the role can hold a snapshot as that role.")));
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot hold a snapshot during recovery"),
				 errhint("Generate snapshots on the primary.")));

	InitMaterializedSRF(fcinfo, 0);

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	slot = find_holder(shared, job_id);
	reused = (slot != NULL);
	if (reused)
	{
		Oid			database_id = slot->database_id;
		Oid			holder_role = slot->role_id;

		if (database_id != MyDatabaseId || holder_role != role_id)
		{
			LWLockRelease(shared->lock);
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_IN_USE),
					 errmsg("job " INT64_FORMAT " already holds a snapshot in another database or as another role",
							job_id),
					 errdetail("It is held in database \"%s\" as role \"%s\".",
							   get_database_name(database_id),
							   GetUserNameFromId(holder_role, true)),
					 errhint("Release it with steep_repl._release_snapshot() first.")));
		}
	}
	else
	{
		for (i = 0; i < shared->num_slots; i++)
		{
			if (shared->holders[i].state == HOLDER_FREE)
			{
				slot = &shared->holders[i];
				claim_slot(slot, job_id, role_id, import_name);
				break;
			}
		}
		if (slot == NULL)
		{
			LWLockRelease(shared->lock);
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("no free steep_repl snapshot holder slot for job " INT64_FORMAT, job_id),
					 errdetail("All %d snapshot holder slots are in use.", shared->num_slots),
					 errhint("Release snapshots that are no longer needed (steep_repl.held_snapshots() lists them), or increase steep_repl.max_job_slots and restart the server.")));
		}
	}
	generation = slot->generation;
	LWLockRelease(shared->lock);

	if (!reused)
	{
		handle = register_holder(slot - shared->holders, generation, job_id);
		if (handle == NULL)
		{
			free_slot_if_starting(shared, slot, generation);
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("could not register a background worker to hold the snapshot of job " INT64_FORMAT,
							job_id),
					 errdetail("All max_worker_processes (%d) background worker slots are in use.",
							   max_worker_processes),
					 errhint("Increase max_worker_processes (one more per running snapshot generation) and restart the server.")));
		}
	}

	await_publication(shared, slot, generation, handle, job_id, name, &lsn);

	values[0] = CStringGetTextDatum(name);
	values[1] = LSNGetDatum(lsn);
	values[2] = BoolGetDatum(reused);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/*
 * _lock_held_snapshot(p_job_id, p_tables): the job's holder takes ACCESS
 * SHARE on the tables and keeps it until it exits.  Returns once it holds
 * them all.
 */
Datum
steep_repl_lock_held_snapshot(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = job_slots_require();
	int64		job_id = job_id_arg(fcinfo);
	ArrayType  *tables;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			count;
	HolderSlot *slot;
	uint64		generation;
	Oid			role_id;
	dsm_segment *segment;
	LockRequest *request;
	uint64		request_number = 0;
	Latch	   *latch = NULL;
	int			i;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table list must not be null")));
	tables = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(tables) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("table list must be a one-dimensional array")));
	deconstruct_array(tables, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
					  &elems, &elem_nulls, &count);

	LWLockAcquire(shared->lock, LW_SHARED);
	slot = find_holder(shared, job_id);
	if (slot != NULL)
	{
		generation = slot->generation;
		role_id = slot->role_id;
	}
	LWLockRelease(shared->lock);
	if (slot == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("no snapshot is held for job " INT64_FORMAT, job_id),
				 errhint("steep_repl._hold_snapshot() starts a holder.")));
	if (count == 0)
		PG_RETURN_VOID();

	/*
	 * The role the holder runs as must be able to read every table: the
	 * privilege LOCK TABLE ... IN ACCESS SHARE MODE accepts, and the one the
	 * snapshot is for.
	 */
	for (i = 0; i < count; i++)
	{
		Oid			relid;

		if (elem_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("table list must not contain nulls")));
		relid = DatumGetObjectId(elems[i]);
		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation with OID %u does not exist", relid)));
		if (pg_class_aclcheck(relid, role_id, ACL_SELECT) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("role \"%s\" has no SELECT privilege on table %s",
							GetUserNameFromId(role_id, false),
							get_rel_name(relid)),
					 errhint("The holder runs as the job's role and locks only tables that role can read.")));
	}

	segment = dsm_create(add_size(offsetof(LockRequest, relids),
								  mul_size(count, sizeof(Oid))), 0);
	request = dsm_segment_address(segment);
	request->count = count;
	request->error[0] = '\0';
	for (i = 0; i < count; i++)
		request->relids[i] = DatumGetObjectId(elems[i]);

	/* one request at a time per holder: wait for an earlier one to be answered */
	for (;;)
	{
		bool		gone;

		LWLockAcquire(shared->lock, LW_EXCLUSIVE);
		gone = slot->generation != generation || slot->state == HOLDER_FREE ||
			slot->release_requested;
		if (!gone && slot->lock_requested == slot->lock_done)
		{
			request_number = ++slot->lock_requested;
			slot->lock_segment = dsm_segment_handle(segment);
			latch = slot->latch;
		}
		LWLockRelease(shared->lock);

		if (gone)
		{
			ConditionVariableCancelSleep();
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("snapshot holder for job " INT64_FORMAT " has exited", job_id)));
		}
		if (request_number != 0)
			break;
		(void) ConditionVariableTimedSleep(&slot->changed, REQUESTER_POLL_MS,
										   PG_WAIT_EXTENSION);
	}
	ConditionVariableCancelSleep();
	/* a holder that has not attached yet sees the request when it does */
	if (latch != NULL)
		SetLatch(latch);

	/* no time limit here: lock waits obey statement_timeout, like LOCK TABLE */
	for (;;)
	{
		bool		answered;
		bool		gone;

		LWLockAcquire(shared->lock, LW_SHARED);
		answered = slot->generation == generation && slot->lock_done >= request_number;
		gone = slot->generation != generation || slot->state == HOLDER_FREE;
		LWLockRelease(shared->lock);

		if (answered)
			break;
		if (gone)
		{
			ConditionVariableCancelSleep();
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("snapshot holder for job " INT64_FORMAT " exited while it locked the tables",
							job_id),
					 request->error[0] != '\0' ? errdetail("%s", request->error) : 0,
					 errhint("The server log has the holder's messages.")));
		}
		(void) ConditionVariableTimedSleep(&slot->changed, REQUESTER_POLL_MS,
										   PG_WAIT_EXTENSION);
	}
	ConditionVariableCancelSleep();

	if (request->error[0] != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("snapshot holder for job " INT64_FORMAT " could not lock the tables",
						job_id),
				 errdetail("%s", request->error)));
	dsm_detach(segment);
	PG_RETURN_VOID();
}

/*
 * _release_snapshot(p_job_id): tells the job's holder to end; false when
 * the job has none.  Does not wait for it to exit.
 */
Datum
steep_repl_release_snapshot(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = job_slots_require();
	int64		job_id = job_id_arg(fcinfo);
	HolderSlot *slot;
	Latch	   *latch = NULL;
	pid_t		locking_pid = 0;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	slot = find_holder(shared, job_id);
	if (slot != NULL)
	{
		slot->release_requested = true;
		latch = slot->latch;
		/* a lock wait does not watch the latch; SIGTERM ends it */
		if (slot->lock_requested != slot->lock_done)
			locking_pid = slot->pid;
	}
	LWLockRelease(shared->lock);

	if (latch != NULL)
		SetLatch(latch);
	if (locking_pid != 0)
		(void) kill(locking_pid, SIGTERM);
	PG_RETURN_BOOL(slot != NULL);
}

/* held_snapshots(): one row per holder. */
Datum
steep_repl_held_snapshots(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = job_slots_require();
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HolderSlot *copies;
	int			ncopies = 0;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	/* copy under the lock, build tuples (which may raise errors) after */
	copies = palloc(sizeof(HolderSlot) * shared->num_slots);
	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < shared->num_slots; i++)
	{
		if (shared->holders[i].state != HOLDER_FREE)
			memcpy(&copies[ncopies++], &shared->holders[i], sizeof(HolderSlot));
	}
	LWLockRelease(shared->lock);

	for (i = 0; i < ncopies; i++)
	{
		HolderSlot *slot = &copies[i];
		Datum		values[HELD_SNAPSHOTS_COLUMNS];
		bool		nulls[HELD_SNAPSHOTS_COLUMNS];
		char	   *database = get_database_name(slot->database_id);
		char	   *role = GetUserNameFromId(slot->role_id, true);
		bool		holding = slot->state == HOLDER_HOLDING;
		int			col = 0;

		memset(nulls, 0, sizeof(nulls));
		values[col++] = Int64GetDatum(slot->job_id);
		nulls[col] = (slot->pid == 0);
		values[col++] = Int32GetDatum(slot->pid);
		nulls[col] = (database == NULL);
		values[col++] = database ? CStringGetTextDatum(database) : (Datum) 0;
		nulls[col] = (role == NULL);
		values[col++] = role ? CStringGetTextDatum(role) : (Datum) 0;
		values[col++] = CStringGetTextDatum(slot->release_requested ? "releasing" :
											holding ? "holding" : "starting");
		nulls[col] = !holding;
		values[col++] = CStringGetTextDatum(slot->snapshot_name);
		nulls[col] = !holding;
		values[col++] = LSNGetDatum(slot->lsn);
		nulls[col] = !holding;
		values[col++] = TimestampTzGetDatum(slot->held_since);
		values[col++] = Int64GetDatum(slot->tables_locked);
		Assert(col == HELD_SNAPSHOTS_COLUMNS);

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------------
 * The holder process
 * ------------------------------------------------------------------------
 */

void
steep_repl_snapshot_holder_main(Datum main_arg)
{
	SteepReplShared *shared = steep_repl_shared;
	int			index = DatumGetInt32(main_arg);
	HolderSlot *slot;
	bool		mine;
	Oid			database_id = InvalidOid;
	Oid			connect_as = InvalidOid;
	Oid			role_id = InvalidOid;
	char		import_name[HOLDER_SNAPSHOT_NAME_LEN] = "";
	char		appname[NAMEDATALEN];

	/*
	 * SIGTERM: die() lets the main loop leave in an orderly way and also
	 * ends a lock wait.  SIGINT is ignored: a holder has no statement to
	 * cancel, pg_terminate_backend() ends it.
	 */
	pqsignal(SIGTERM, die);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGINT, SIG_IGN);
	BackgroundWorkerUnblockSignals();

	if (shared == NULL || index < 0 || index >= shared->num_slots)
		proc_exit(0);
	slot = &shared->holders[index];
	memcpy(&my_generation, MyBgworkerEntry->bgw_extra, sizeof(my_generation));

	/*
	 * A requester that gave up may have freed or even reused the slot; one
	 * released before we got here is freed now.
	 */
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	mine = slot->generation == my_generation && slot->state == HOLDER_STARTING;
	if (mine && slot->release_requested)
	{
		slot->state = HOLDER_FREE;
		mine = false;
	}
	if (mine)
	{
		slot->pid = MyProcPid;
		slot->latch = MyLatch;
		my_job_id = slot->job_id;
		database_id = slot->database_id;
		connect_as = slot->connect_as;
		role_id = slot->role_id;
		strlcpy(import_name, slot->import_name, sizeof(import_name));
	}
	LWLockRelease(shared->lock);
	if (!mine)
	{
		ConditionVariableBroadcast(&slot->changed);
		proc_exit(0);
	}
	my_slot = slot;

	/* before the connection: runs after its transaction has been aborted */
	before_shmem_exit(holder_exit, (Datum) 0);

	/*
	 * Connect as the requester's session user, which can log in, and run as
	 * the job's role like SET ROLE does: a job's role may be NOLOGIN.
	 */
	BackgroundWorkerInitializeConnectionByOid(database_id, connect_as, 0);
	snprintf(appname, sizeof(appname), HOLDER_TYPE " for job " INT64_FORMAT, my_job_id);
	pgstat_report_appname(appname);

	export_snapshot(role_id, import_name);
	hold();
}

/*
 * before_shmem_exit callback: frees the slot and wakes whoever waits on it.
 * The failure text stays, for a requester waiting for the publication.
 */
static void
holder_exit(int code, Datum arg)
{
	SteepReplShared *shared = steep_repl_shared;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	if (my_slot->generation == my_generation)
	{
		my_slot->state = HOLDER_FREE;
		my_slot->pid = 0;
		my_slot->latch = NULL;
		my_slot->release_requested = false;
	}
	LWLockRelease(shared->lock);
	ConditionVariableBroadcast(&my_slot->changed);
}

/* Copies the current error's message to dst (HOLDER_ERROR_LEN bytes). */
static void
record_failure(char *dst, const char *what)
{
	SteepReplShared *shared = steep_repl_shared;
	ErrorData  *edata;
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

	edata = CopyErrorData();
	MemoryContextSwitchTo(old);
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	snprintf(dst, HOLDER_ERROR_LEN, "%s: %s", what, edata->message);
	LWLockRelease(shared->lock);
}

/*
 * Opens the transaction, exports its snapshot and publishes name and WAL
 * position.  The transaction stays open until the process exits.  With an
 * import_name it first imports that snapshot (exported by a replication
 * slot's creation, say), so the holder keeps *that* snapshot importable
 * after its exporter has gone; the published LSN is then only the moment
 * of the import, and the caller knows the snapshot's own.
 */
static void
export_snapshot(Oid role_id, const char *import_name)
{
	SteepReplShared *shared = steep_repl_shared;
	char	   *name;
	XLogRecPtr	lsn;
	bool		published;
	char		activity[128];

	PG_TRY();
	{
		Snapshot	snapshot;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		/* what BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY sets */
		XactIsoLevel = XACT_REPEATABLE_READ;
		XactReadOnly = true;
		SetCurrentRoleId(role_id, superuser_arg(role_id));

		/* what SET TRANSACTION SNAPSHOT does, before any snapshot is taken */
		if (import_name[0] != '\0')
			ImportSnapshot(import_name);

		/* the first snapshot of a repeatable read transaction lasts as long as it */
		snapshot = GetTransactionSnapshot();
		name = ExportSnapshot(snapshot);

		/*
		 * Every commit the snapshot sees was inserted into the WAL before
		 * this point.  The insert position, unlike pg_current_wal_lsn(), is
		 * also past commits whose WAL has not been written yet.
		 */
		lsn = GetXLogInsertRecPtr();
	}
	PG_CATCH();
	{
		record_failure(my_slot->failure, "could not export a snapshot");
		PG_RE_THROW();
	}
	PG_END_TRY();

	strlcpy(my_snapshot_name, name, sizeof(my_snapshot_name));
	/* visible in pg_stat_activity by the time the requester returns */
	snprintf(activity, sizeof(activity), "holding snapshot %s for job " INT64_FORMAT,
			 name, my_job_id);
	pgstat_report_activity(STATE_IDLEINTRANSACTION, activity);

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	published = my_slot->generation == my_generation &&
		my_slot->state == HOLDER_STARTING;
	if (published)
	{
		strlcpy(my_slot->snapshot_name, name, HOLDER_SNAPSHOT_NAME_LEN);
		my_slot->lsn = lsn;
		my_slot->held_since = GetCurrentTimestamp();
		my_slot->state = HOLDER_HOLDING;
	}
	LWLockRelease(shared->lock);
	ConditionVariableBroadcast(&my_slot->changed);

	if (!published)
	{
		/* the requester timed out and freed the slot */
		ereport(LOG,
				(errmsg("steep_repl snapshot holder for job " INT64_FORMAT " exits: its requester stopped waiting",
						my_job_id)));
		AbortCurrentTransaction();
		proc_exit(0);
	}

	ereport(LOG,
			(errmsg("steep_repl snapshot holder for job " INT64_FORMAT " holds snapshot \"%s\" at %X/%X as role \"%s\"",
					my_job_id, name, LSN_FORMAT_ARGS(lsn),
					GetUserNameFromId(role_id, false))));
}

/* A job runs while a job slot is in use for it by a live session. */
static bool
job_is_running(int64 job_id)
{
	SteepReplShared *shared = steep_repl_shared;
	bool		found = false;
	pid_t		reporter = 0;
	int			i;

	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < shared->num_slots; i++)
	{
		JobSlot    *slot = &shared->slots[i];

		if (slot->in_use && slot->job_id == job_id)
		{
			found = true;
			reporter = slot->reporter_pid;
			break;
		}
	}
	LWLockRelease(shared->lock);

	/*
	 * A Java worker killed with SIGKILL leaves its slots in use until the
	 * retry claims them again, but the sessions it reported through end
	 * with it.
	 */
	return found && (reporter == 0 || BackendPidGetProc(reporter) != NULL);
}

/* Waits for requests until it is time to go, then exits. */
static void
hold(void)
{
	SteepReplShared *shared = steep_repl_shared;
	MemoryContext loop_context;
	TimestampTz idle_since = 0;
	TimestampTz first_check;
	const char *reason = NULL;

	loop_context = AllocSetContextCreate(TopMemoryContext,
										 "steep_repl snapshot holder",
										 ALLOCSET_DEFAULT_SIZES);

	/*
	 * A job reports its first progress asynchronously, perhaps just after
	 * it asked for the holder: give it a moment before the first check.
	 */
	first_check = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), HOLDER_POLL_MS);
	for (;;)
	{
		bool		release;
		uint64		requested;
		uint64		done;
		dsm_handle	segment;

		MemoryContextSwitchTo(loop_context);
		MemoryContextReset(loop_context);

		if (ProcDiePending)
		{
			reason = "it was terminated";
			break;
		}
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		LWLockAcquire(shared->lock, LW_SHARED);
		release = my_slot->release_requested;
		requested = my_slot->lock_requested;
		done = my_slot->lock_done;
		segment = my_slot->lock_segment;
		LWLockRelease(shared->lock);

		if (release)
		{
			reason = "it was released";
			break;
		}
		if (requested != done)
		{
			serve_lock_request(segment, requested);
			continue;
		}

		if (GetCurrentTimestamp() < first_check || job_is_running(my_job_id))
			idle_since = 0;
		else
		{
			TimestampTz now = GetCurrentTimestamp();

			if (idle_since == 0)
				idle_since = now;
			if (TimestampDifferenceExceeds(idle_since, now,
										   steep_repl_snapshot_hold_grace * 1000))
			{
				reason = psprintf("the job has not been running for %d s (steep_repl.snapshot_hold_grace)",
								  steep_repl_snapshot_hold_grace);
				break;
			}
		}

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 HOLDER_POLL_MS,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}

	ereport(LOG,
			(errmsg("steep_repl snapshot holder for job " INT64_FORMAT " releases snapshot \"%s\": %s",
					my_job_id, my_snapshot_name, reason)));
	AbortCurrentTransaction();
	proc_exit(0);
}

/* Answers lock request number request, whose OIDs are in segment handle. */
static void
serve_lock_request(dsm_handle handle, uint64 request)
{
	SteepReplShared *shared = steep_repl_shared;
	dsm_segment *segment = dsm_attach(handle);

	/* a requester that stopped waiting has detached, and the segment is gone */
	if (segment != NULL)
	{
		LockRequest *lock_request = dsm_segment_address(segment);

		PG_TRY();
		{
			lock_relations(lock_request);
		}
		PG_CATCH();
		{
			record_failure(lock_request->error, "could not lock the tables");
			PG_RE_THROW();
		}
		PG_END_TRY();
		dsm_detach(segment);
	}

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	my_slot->lock_done = request;
	my_slot->tables_locked = hash_get_num_entries(locked_relations);
	LWLockRelease(shared->lock);
	ConditionVariableBroadcast(&my_slot->changed);
}

/*
 * ACCESS SHARE on each relation of the request that this transaction does
 * not hold yet.  A relation dropped before its lock was granted is an error
 * for the requester, not for the holder.
 */
static void
lock_relations(LockRequest *request)
{
	int			i;

	if (locked_relations == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(Oid);
		ctl.hcxt = TopMemoryContext;
		locked_relations = hash_create("steep_repl held locks", 1024, &ctl,
									   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}

	for (i = 0; i < request->count; i++)
	{
		Oid			relid = request->relids[i];
		bool		found;

		if (hash_search(locked_relations, &relid, HASH_FIND, NULL) != NULL)
			continue;
		LockRelationOid(relid, AccessShareLock);
		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		{
			UnlockRelationOid(relid, AccessShareLock);
			snprintf(request->error, HOLDER_ERROR_LEN,
					 "relation with OID %u was dropped before it could be locked", relid);
			return;
		}
		(void) hash_search(locked_relations, &relid, HASH_ENTER, &found);
	}
}
