/*-------------------------------------------------------------------------
 *
 * job_slots.h
 *	  The steep_repl shared-memory area: the supervisor's status, a fixed
 *	  array of job progress slots and, behind it, as many snapshot holder
 *	  slots (snapshot_holder.h).
 *
 * One LWLock (named tranche "steep_repl") protects every field of the area
 * except "lock", "num_slots" and "holders", which are set once while the
 * area is created and never change, and the holder slots' condition
 * variables, which synchronise themselves.  Hold it only to copy fields in
 * or out: never across anything that can raise an error or wait.
 *
 * The area exists only when the library is loaded by shared_preload_libraries;
 * steep_repl_shared is NULL otherwise.  A crash-restart of the server creates
 * it anew, empty: anything that must survive lives in tables.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_JOB_SLOTS_H
#define STEEP_REPL_JOB_SLOTS_H

#include "compat.h"

#include "storage/latch.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"

/* Text buffers, in bytes including the terminating zero */
#define JOB_SLOT_KIND_LEN			64	/* work_queue.kind: at most 63 */
#define JOB_SLOT_PHASE_LEN			64
#define JOB_SLOT_ITEM_LEN			256
#define SUPERVISOR_EXIT_STATUS_LEN	128
#define SUPERVISOR_JAVA_PATH_LEN	MAXPGPATH

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

typedef struct JobSlot
{
	bool		in_use;
	bool		cancel_requested;
	uint64		generation;		/* bumped each time the slot is claimed */
	int64		job_id;
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

typedef struct SteepReplShared
{
	LWLock	   *lock;
	int			num_slots;
	struct HolderSlot *holders; /* num_slots of them, after slots[] */
	SupervisorStatus supervisor;
	JobSlot		slots[FLEXIBLE_ARRAY_MEMBER];
} SteepReplShared;

extern SteepReplShared *steep_repl_shared;

extern void job_slots_install_hooks(void);
extern SteepReplShared *job_slots_require(void);
extern const char *supervisor_state_name(SupervisorState state);
extern void copy_clipped(char *dst, const char *src, int dstlen);

#endif							/* STEEP_REPL_JOB_SLOTS_H */
