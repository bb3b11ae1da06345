/*-------------------------------------------------------------------------
 *
 * snapshot_holder.c
 *	  The "steep_repl snapshot holder" background worker process; the SQL
 *	  functions that start and use it are in snapshot_holder_api.c.
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
 * Shared state: its own holder slot in the steep_repl area, under the
 * area's LWLock (shmem.h), which it attaches to only if the slot still has
 * the generation it was started for.  It frees the slot in a
 * before_shmem_exit callback registered before its database connection, so
 * it runs after the transaction has been aborted: a free slot never names a
 * snapshot that can still be imported.  Everything else here (the my_*
 * variables, the table of locked relations) is private to the process.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "job_slots.h"
#include "shmem.h"
#include "snapshot_holder.h"
#include "steep_repl.h"

/* the holder checks whether its job still runs this often */
#define HOLDER_POLL_MS				1000

/* The holder process's own view of its slot */
static HolderSlot *my_slot = NULL;
static uint64 my_generation = 0;
static int64 my_job_id = 0;
static char my_snapshot_name[HOLDER_SNAPSHOT_NAME_LEN];
static HTAB *locked_relations = NULL;

static void holder_exit(int code, Datum arg);
static void record_failure(char *dst, const char *what);
static void publish_export_prefix(void);
static void export_snapshot(Oid role_id, const char *import_name);
static void hold(void);
static void serve_lock_request(dsm_handle handle, uint64 request);
static void lock_relations(LockRequest *request);


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
	/* over ALTER DATABASE / ROLE ... SET search_path */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);
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
 * Publishes how the names of the snapshots this transaction exports start,
 * before the first is exported: from then on the import guard checks
 * imports of them, even before the name itself is published.
 */
static void
publish_export_prefix(void)
{
	SteepReplShared *shared = steep_repl_shared;
	char		prefix[HOLDER_SNAPSHOT_NAME_LEN];

	snprintf(prefix, sizeof(prefix), "%08X-%08X-",
			 STEEP_REPL_MY_VXID_PROC, STEEP_REPL_MY_VXID_LXID);
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	strlcpy(my_slot->export_prefix, prefix, HOLDER_SNAPSHOT_NAME_LEN);
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

		publish_export_prefix();

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

		if (GetCurrentTimestamp() < first_check || steep_repl_job_is_running(my_job_id))
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
