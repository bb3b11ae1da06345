/*-------------------------------------------------------------------------
 *
 * snapshot_holder.h
 *	  The "steep_repl snapshot holder": a dynamic background worker that
 *	  exports a snapshot for a job and keeps its transaction open, so that
 *	  the snapshot outlives the Java worker that asked for it (see
 *	  docs/worker.md).  What its two sides share: the requester's SQL API
 *	  (snapshot_holder_api.c) and the holder process (snapshot_holder.c).
 *
 * Its slots (HolderSlot) live in the shared area, under the area's LWLock
 * (shmem.h).  A lock request travels in a DSM segment the requester creates
 * and only the requester frees: LockRequest, written by the requester
 * before it posts the request, answered by the holder before it marks the
 * request done.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SNAPSHOT_HOLDER_H
#define STEEP_REPL_SNAPSHOT_HOLDER_H

#include "compat.h"

#include "fmgr.h"

#include "shmem.h"

/* bgw_type, and the start of bgw_name and application_name */
#define HOLDER_TYPE					"steep_repl snapshot holder"

/* A lock request, in the requester's DSM segment. */
typedef struct LockRequest
{
	int			count;
	char		error[HOLDER_ERROR_LEN];	/* the holder's answer; empty = ok */
	Oid			relids[FLEXIBLE_ARRAY_MEMBER];
} LockRequest;

extern PGDLLEXPORT void steep_repl_snapshot_holder_main(Datum main_arg);

#endif							/* STEEP_REPL_SNAPSHOT_HOLDER_H */
