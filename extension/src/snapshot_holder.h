/*-------------------------------------------------------------------------
 *
 * snapshot_holder.h
 *	  The "steep_repl snapshot holder": a dynamic background worker that
 *	  exports a snapshot for a job and keeps its transaction open, so that
 *	  the snapshot outlives the Java worker that asked for it (see
 *	  docs/worker.md).
 *
 * Its slots live in the steep_repl shared-memory area (job_slots.h), one per
 * job slot, and are protected by that area's single LWLock, like
 * everything else there: a holder's liveness test reads job slots and its
 * own slot together, and every access only copies a few fields.  Waiting is
 * done on each slot's condition variable (requesters) or on the holder's
 * latch (holder), never while holding the lock.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SNAPSHOT_HOLDER_H
#define STEEP_REPL_SNAPSHOT_HOLDER_H

#include "compat.h"

#include "access/xlogdefs.h"
#include "fmgr.h"
#include "storage/condition_variable.h"
#include "storage/dsm.h"
#include "storage/latch.h"
#include "utils/timestamp.h"

/* What pg_export_snapshot() returns is at most 8 + 1 + 8 + 1 + 10 characters */
#define HOLDER_SNAPSHOT_NAME_LEN	64
#define HOLDER_ERROR_LEN			256

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
	int64		job_id;
	Oid			database_id;
	Oid			connect_as;		/* the requester's session user */
	Oid			role_id;		/* the role the holder runs as (SET ROLE) */
	pid_t		pid;			/* 0 until the holder has attached */
	Latch	   *latch;			/* the holder's; set it after a request */
	/* a snapshot to import and hold instead of taking one; empty: take one */
	char		import_name[HOLDER_SNAPSHOT_NAME_LEN];
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

extern Size snapshot_holder_shmem_size(int num_slots);
extern void snapshot_holder_shmem_init(HolderSlot *slots, int num_slots);
extern PGDLLEXPORT void steep_repl_snapshot_holder_main(Datum main_arg);

#endif							/* STEEP_REPL_SNAPSHOT_HOLDER_H */
