/*-------------------------------------------------------------------------
 *
 * shmem.h
 *	  The steep_repl shared-memory area: its types and its layout.  The
 *	  supervisor's status, the databases the worker serves, a fixed array of
 *	  job progress slots
 *	  (job_slots.c) and, behind it, as many snapshot holder slots
 *	  (snapshot_holder_api.c, snapshot_holder.c).
 *
 * One LWLock (named tranche "steep_repl") protects every field of the area
 * except "lock", "num_slots" and "holders", which are set once while the
 * area is created and never change, the counter of ended jobs, which is
 * atomic, and the condition variables, which synchronise themselves.  Hold it only to copy fields in
 * or out: never across anything that can raise an error or wait.  One lock
 * for everything, because a holder's liveness test reads job slots and its
 * own slot together, and every access only copies a few fields.
 *
 * The area exists only when the library is loaded by shared_preload_libraries;
 * steep_repl_shared is NULL otherwise.  A crash-restart of the server creates
 * it anew, empty: anything that must survive lives in tables.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SHMEM_H
#define STEEP_REPL_SHMEM_H

#include "compat.h"

#include "access/xlogdefs.h"
#include "port/atomics.h"
#include "storage/condition_variable.h"
#include "storage/dsm.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"

/* Text buffers, in bytes including the terminating zero */
#define JOB_SLOT_KIND_LEN			64	/* work_queue.kind: at most 63 */
#define JOB_SLOT_PHASE_LEN			64
#define JOB_SLOT_ITEM_LEN			256
#define SUPERVISOR_EXIT_STATUS_LEN	128
#define SUPERVISOR_JAVA_PATH_LEN	MAXPGPATH
/* What pg_export_snapshot() returns is at most 8 + 1 + 8 + 1 + 10 characters */
#define HOLDER_SNAPSHOT_NAME_LEN	64
#define HOLDER_ERROR_LEN			256
#define SERVED_DATABASE_DETAIL_LEN	256

/* how many databases the worker can serve at once (served_databases.c) */
#define STEEP_REPL_MAX_SERVED_DATABASES	64

/* ------------------------------------------------------------------------
 * The supervisor's status (supervisor.c writes, worker_status.c reads)
 * ------------------------------------------------------------------------
 */
typedef enum SupervisorState
{
	SUPERVISOR_NOT_STARTED = 0, /* zeroed memory: the worker has not run */
	SUPERVISOR_WAITING_FOR_EXTENSION,
	SUPERVISOR_STARTING,		/* JVM forked, not yet connected */
	SUPERVISOR_RUNNING,			/* JVM connected (_worker_connected) */
	SUPERVISOR_BACKING_OFF,		/* JVM exited or could not start; retry due */
	SUPERVISOR_STOPPED			/* the supervisor exited */
} SupervisorState;

typedef struct SupervisorStatus
{
	pid_t		supervisor_pid; /* 0 when no supervisor runs */
	Latch	   *supervisor_latch;	/* set it to wake the supervisor */
	pid_t		worker_pid;		/* the JVM; 0 when none runs */
	int			worker_starts;
	TimestampTz worker_started_at;	/* 0 = never */
	TimestampTz worker_connected_at;
	TimestampTz last_exit_at;
	SupervisorState state;
	char		last_exit_status[SUPERVISOR_EXIT_STATUS_LEN];
	char		java_path[SUPERVISOR_JAVA_PATH_LEN];
} SupervisorStatus;

/* ------------------------------------------------------------------------
 * A database the Java worker serves (served_databases.c)
 *
 * CREATE EXTENSION announces its database at commit; the worker finds the
 * others when it starts, and publishes each one's state as it connects.
 * ------------------------------------------------------------------------
 */
typedef enum ServedDatabaseState
{
	SERVED_FREE = 0,			/* zeroed memory: an unused entry */
	SERVED_ANNOUNCED,			/* CREATE EXTENSION committed; not picked up yet */
	SERVED_CONNECTING,
	SERVED_SERVING,
	SERVED_ERROR				/* detail says why */
} ServedDatabaseState;

typedef struct ServedDatabase
{
	Oid			database_id;
	ServedDatabaseState state;
	bool		dropping;		/* DROP DATABASE waits for the worker to leave */
	TimestampTz since;			/* when the state last changed */
	char		detail[SERVED_DATABASE_DETAIL_LEN];
} ServedDatabase;

/* ------------------------------------------------------------------------
 * A job's progress (job_slots.c)
 * ------------------------------------------------------------------------
 */
typedef struct JobSlot
{
	bool		in_use;
	bool		cancel_requested;
	uint64		generation;		/* bumped each time the slot is claimed */
	int64		job_id;			/* unique only with database_id */
	Oid			database_id;	/* the job's database: job ids are per database */
	Oid			role_id;		/* the job's submitter; 0 = unknown */
	char		kind[JOB_SLOT_KIND_LEN];
	char		phase[JOB_SLOT_PHASE_LEN];
	char		current_item[JOB_SLOT_ITEM_LEN];
	double		percent;
	int64		items_done;
	int64		items_total;
	int64		rows_done;
	int64		bytes_done;
	double		rows_per_sec;
	double		bytes_per_sec;
	TimestampTz started_at;
	TimestampTz updated_at;
	pid_t		reporter_pid;
} JobSlot;

/* ------------------------------------------------------------------------
 * A snapshot holder (snapshot_holder_api.c claims, snapshot_holder.c holds)
 *
 * Waiting is done on each slot's condition variable (requesters) or on the
 * holder's latch (holder), never while holding the lock.
 * ------------------------------------------------------------------------
 */
typedef enum HolderState
{
	HOLDER_FREE = 0,			/* zeroed memory: no holder */
	HOLDER_STARTING,			/* registered, snapshot not yet exported */
	HOLDER_HOLDING				/* snapshot_name and lsn are valid */
} HolderState;

typedef struct HolderSlot
{
	HolderState state;
	bool		release_requested;	/* set by _release_snapshot */
	uint64		generation;		/* bumped each time the slot is claimed */
	int64		job_id;			/* unique only with database_id */
	Oid			database_id;
	Oid			connect_as;		/* the requester's session user */
	Oid			role_id;		/* the role the holder runs as (SET ROLE) */
	pid_t		pid;			/* 0 until the holder has attached */
	Latch	   *latch;			/* the holder's; set it after a request */
	/* a snapshot to import and hold instead of taking one; empty: take one */
	char		import_name[HOLDER_SNAPSHOT_NAME_LEN];

	/*
	 * How every snapshot name the holder's transaction exports starts
	 * ("<proc>-<lxid>-"), published before it exports, so that the import
	 * guard (snapshot_import_guard.c) knows the name before anyone can
	 * import it; empty until then.
	 */
	char		export_prefix[HOLDER_SNAPSHOT_NAME_LEN];
	char		snapshot_name[HOLDER_SNAPSHOT_NAME_LEN];
	XLogRecPtr	lsn;
	TimestampTz requested_at;
	TimestampTz held_since;
	int64		tables_locked;	/* distinct relations held */

	/*
	 * One lock request at a time: a requester bumps lock_requested and hands
	 * over a DSM segment with the relation OIDs, in which the holder writes
	 * its answer before it sets lock_done to the same number.
	 */
	uint64		lock_requested;
	uint64		lock_done;
	dsm_handle	lock_segment;

	/* why the holder exited before it published; kept after it exits */
	char		failure[HOLDER_ERROR_LEN];

	/* broadcast on every change of state, publication and answer */
	ConditionVariable changed;
} HolderSlot;

/* ------------------------------------------------------------------------
 * The area
 * ------------------------------------------------------------------------
 */
typedef struct SteepReplShared
{
	LWLock	   *lock;
	int			num_slots;		/* job slots, and as many holder slots */
	HolderSlot *holders;		/* after slots[] */
	SupervisorStatus supervisor;
	ServedDatabase databases[STEEP_REPL_MAX_SERVED_DATABASES];
	/* jobs ended since the server started, and their broadcast (job_end_wait.c) */
	pg_atomic_uint64 jobs_ended;
	ConditionVariable job_ended;
	JobSlot		slots[FLEXIBLE_ARRAY_MEMBER];
} SteepReplShared;

extern SteepReplShared *steep_repl_shared;

extern void steep_repl_shmem_install_hooks(void);
extern SteepReplShared *steep_repl_shmem_require(void);
extern void steep_repl_copy_clipped(char *dst, const char *src, int dstlen);

#endif							/* STEEP_REPL_SHMEM_H */
