/*-------------------------------------------------------------------------
 *
 * job_end_wait.h
 *	  Announcing a job's end to the sessions waiting for runs
 *	  (job_end_wait.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_JOB_END_WAIT_H
#define STEEP_REPL_JOB_END_WAIT_H

#include "compat.h"

extern void steep_repl_announce_job_end(void);

#endif							/* STEEP_REPL_JOB_END_WAIT_H */
