/*-------------------------------------------------------------------------
 *
 * job_slots.h
 *	  What other files may ask of the job progress slots (job_slots.c).
 *
 * The slots live in the shared area (shmem.h), under its LWLock; callers
 * must not hold it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_JOB_SLOTS_H
#define STEEP_REPL_JOB_SLOTS_H

#include "compat.h"

extern bool steep_repl_job_is_running(int64 job_id);
extern bool steep_repl_may_see_job(Oid role_id);

#endif							/* STEEP_REPL_JOB_SLOTS_H */
