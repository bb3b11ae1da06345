/*-------------------------------------------------------------------------
 *
 * snapshot_holder_api.c
 *	  The SQL functions that start, use, release and list snapshot holders
 *	  (snapshot_holder.c): _hold_snapshot, _lock_held_snapshot,
 *	  _release_snapshot and held_snapshots.  They run in the requesting
 *	  backend.
 *
 * Shared state: the holder slots of the steep_repl area, under the area's
 * LWLock (shmem.h).  A slot is claimed here (state starting, generation
 * bumped) before the worker is registered; the worker checks the
 * generation it was given, so a worker that starts after its requester
 * gave up leaves a reused slot alone.  Waits are on the slot's condition
 * variable, never while holding the lock.
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

#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/pg_lsn.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "job_slots.h"
#include "shmem.h"
#include "snapshot_holder.h"
#include "steep_repl.h"

/* how long _hold_snapshot waits for a new holder to publish its snapshot */
#define HOLDER_START_TIMEOUT_MS		30000
/* requesters re-check the holder this often even when not woken */
#define REQUESTER_POLL_MS			100
#define HELD_SNAPSHOTS_COLUMNS		9

PG_FUNCTION_INFO_V1(steep_repl_hold_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_lock_held_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_release_snapshot);
PG_FUNCTION_INFO_V1(steep_repl_held_snapshots);

static int64 job_id_arg(FunctionCallInfo fcinfo);
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
static HolderSlot *check_lock_request(SteepReplShared *shared, int64 job_id,
									  Datum *elems, bool *elem_nulls, int count,
									  uint64 *generation);
static uint64 post_lock_request(SteepReplShared *shared, HolderSlot *slot,
								uint64 generation, int64 job_id,
								dsm_segment *segment);
static void await_lock_answer(SteepReplShared *shared, HolderSlot *slot,
							  uint64 generation, int64 job_id,
							  uint64 request_number, LockRequest *request);

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
			slot->job_id == job_id && slot->database_id == MyDatabaseId)
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
	slot->export_prefix[0] = '\0';
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
	SteepReplShared *shared = steep_repl_shmem_require();
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
 * The holder slot of the job, after checking that every table exists and
 * that the holder's role may read it (the privilege LOCK TABLE ... IN
 * ACCESS SHARE MODE accepts, and the one the snapshot is for).  Sets the
 * slot's generation.
 */
static HolderSlot *
check_lock_request(SteepReplShared *shared, int64 job_id, Datum *elems,
				   bool *elem_nulls, int count, uint64 *generation)
{
	HolderSlot *slot;
	Oid			role_id = InvalidOid;
	int			i;

	LWLockAcquire(shared->lock, LW_SHARED);
	slot = find_holder(shared, job_id);
	if (slot != NULL)
	{
		*generation = slot->generation;
		role_id = slot->role_id;
	}
	LWLockRelease(shared->lock);
	if (slot == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("no snapshot is held for job " INT64_FORMAT, job_id),
				 errhint("steep_repl._hold_snapshot() starts a holder.")));

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
	return slot;
}

/*
 * Hands the request in segment to the holder once an earlier request has
 * been answered (one at a time per holder), and wakes it.  Returns the
 * request's number.
 */
static uint64
post_lock_request(SteepReplShared *shared, HolderSlot *slot, uint64 generation,
				  int64 job_id, dsm_segment *segment)
{
	uint64		request_number = 0;
	Latch	   *latch = NULL;

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
	return request_number;
}

/*
 * Waits until the holder has answered request_number, and raises its error
 * if it could not lock.  No time limit here: lock waits obey
 * statement_timeout, like LOCK TABLE.
 */
static void
await_lock_answer(SteepReplShared *shared, HolderSlot *slot, uint64 generation,
				  int64 job_id, uint64 request_number, LockRequest *request)
{
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
}

/*
 * _lock_held_snapshot(p_job_id, p_tables): the job's holder takes ACCESS
 * SHARE on the tables and keeps it until it exits.  Returns once it holds
 * them all.
 */
Datum
steep_repl_lock_held_snapshot(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	int64		job_id = job_id_arg(fcinfo);
	ArrayType  *tables;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			count;
	HolderSlot *slot;
	uint64		generation = 0;
	dsm_segment *segment;
	LockRequest *request;
	uint64		request_number;
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

	slot = check_lock_request(shared, job_id, elems, elem_nulls, count,
							  &generation);
	if (count == 0)
		PG_RETURN_VOID();

	segment = dsm_create(add_size(offsetof(LockRequest, relids),
								  mul_size(count, sizeof(Oid))), 0);
	request = dsm_segment_address(segment);
	request->count = count;
	request->error[0] = '\0';
	for (i = 0; i < count; i++)
		request->relids[i] = DatumGetObjectId(elems[i]);

	request_number = post_lock_request(shared, slot, generation, job_id, segment);
	await_lock_answer(shared, slot, generation, job_id, request_number, request);
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
	SteepReplShared *shared = steep_repl_shmem_require();
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

/*
 * held_snapshots(): one row per holder whose job the caller may see, by the
 * role the holder runs as (the job's submitter), as for job_progress().
 */
Datum
steep_repl_held_snapshots(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
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

		if (!steep_repl_may_see_job(slot->role_id))
			continue;
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
