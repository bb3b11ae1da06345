/*-------------------------------------------------------------------------
 *
 * job_end_wait.c
 *	  Wakes the sessions that wait for a run (wait_snapshot, wait_merge) as
 *	  soon as a job ends, instead of leaving them to find out at their next
 *	  poll.
 *
 * The worker frees a job's progress slot (_finish_progress) after the job's
 * outcome has committed; that bumps a counter of ended jobs and broadcasts
 * a condition variable, both in the shared area (shmem.h).  A waiting
 * session notes the counter (_mark_job_ends) before it reads the run's
 * status, and then sleeps (_await_job_end) until the counter moves or its
 * poll interval passes, whichever comes first: a job that ends between the
 * read and the sleep has already moved the counter, so no end is missed.
 * The poll stays the bound for ends that free no slot (a job failed by SQL,
 * a worker killed) and for servers without the shared area, where
 * _await_job_end only sleeps.
 *
 * Any job's end wakes every waiter, which then re-reads its own run: the
 * counter says that some job ended, not which one or whose, which every
 * role can already see in pg_stat_activity (a job's sessions come and go
 * there under the application_name "steep_repl job N").  Only the worker
 * announces: _finish_progress is not executable by PUBLIC.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "storage/condition_variable.h"
#include "storage/latch.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "job_end_wait.h"
#include "shmem.h"

PG_FUNCTION_INFO_V1(steep_repl_mark_job_ends);
PG_FUNCTION_INFO_V1(steep_repl_await_job_end);

/* the counter as this session last noted it */
static uint64 noted_job_ends = 0;

static void sleep_until(TimestampTz end);

/* Called once a job's outcome has committed. */
void
steep_repl_announce_job_end(void)
{
	SteepReplShared *shared = steep_repl_shared;

	if (shared == NULL)
		return;
	pg_atomic_fetch_add_u64(&shared->jobs_ended, 1);
	ConditionVariableBroadcast(&shared->job_ended);
}

/* _mark_job_ends(): notes the counter; call it before reading a run's status. */
Datum
steep_repl_mark_job_ends(PG_FUNCTION_ARGS)
{
	if (steep_repl_shared != NULL)
		noted_job_ends = pg_atomic_read_u64(&steep_repl_shared->jobs_ended);
	PG_RETURN_VOID();
}

/*
 * _await_job_end(p_seconds): returns once a job has ended since the last
 * _mark_job_ends or p_seconds have passed (negative or NaN: at once).
 */
Datum
steep_repl_await_job_end(PG_FUNCTION_ARGS)
{
	float8		seconds = PG_GETARG_FLOAT8(0);
	SteepReplShared *shared = steep_repl_shared;
	TimestampTz end;

	if (!(seconds > 0))
		PG_RETURN_VOID();
	/* a day at most: the callers poll at most every 0.2 s */
	end = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
									  (int64) ceil(Min(seconds, 86400.0) * 1000.0));
	if (shared == NULL)
	{
		sleep_until(end);
		PG_RETURN_VOID();
	}

	ConditionVariablePrepareToSleep(&shared->job_ended);
	for (;;)
	{
		long		left;

		if (pg_atomic_read_u64(&shared->jobs_ended) != noted_job_ends)
			break;
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), end);
		if (left <= 0)
			break;
		/* true: timed out; it checks for interrupts itself */
		if (ConditionVariableTimedSleep(&shared->job_ended, left, PG_WAIT_EXTENSION))
			break;
	}
	ConditionVariableCancelSleep();
	PG_RETURN_VOID();
}

/* What pg_sleep does: sleeps on the latch, answering interrupts. */
static void
sleep_until(TimestampTz end)
{
	for (;;)
	{
		long		left;

		CHECK_FOR_INTERRUPTS();
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), end);
		if (left <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 left, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
