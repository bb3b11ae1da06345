/*-------------------------------------------------------------------------
 *
 * job_slots.c
 *	  The job progress slots of the shared area (shmem.h): the SQL functions
 *	  that write and read them (_report_progress, _finish_progress and
 *	  job_progress) and the liveness test of a job that snapshot holders use.
 *
 * Locking: the area's single LWLock, exclusive to change a slot, shared
 * to copy slots out.  Progress is deliberately not transactional: a write is
 * visible to every session at once, whatever happens to the writer's
 * transaction.
 *
 * A slot belongs to a job, named by its id and its database (each database
 * numbers its jobs), from its first report until _finish_progress; every
 * function finds only the slots of the current database's jobs.
 * Claiming a free slot bumps its generation, so a reader that remembers
 * (slot, generation) can tell a reused slot from its own job, and records
 * the submitter's role, which decides who may read the slot: a role sees
 * the jobs of the roles whose privileges it has; superusers and members of
 * pg_read_all_stats see all (steep_repl_may_see_job).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "catalog/pg_authid_d.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/procarray.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "job_end_wait.h"
#include "job_slots.h"
#include "shmem.h"

#define JOB_PROGRESS_COLUMNS 16

static char *text_arg_or_empty(FunctionCallInfo fcinfo, int argno);
static int64 int64_arg_or_zero(FunctionCallInfo fcinfo, int argno);
static double float8_arg_or_zero(FunctionCallInfo fcinfo, int argno);

PG_FUNCTION_INFO_V1(steep_repl_report_progress);
PG_FUNCTION_INFO_V1(steep_repl_finish_progress);
PG_FUNCTION_INFO_V1(steep_repl_job_progress);

/*
 * A job runs while a job slot is in use for it by a live session.  A Java
 * worker killed with SIGKILL leaves its slots in use until the retry claims
 * them again, but the sessions it reported through end with it.
 */
bool
steep_repl_job_is_running(int64 job_id)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	bool		found = false;
	pid_t		reporter = 0;
	int			i;

	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < shared->num_slots; i++)
	{
		JobSlot    *slot = &shared->slots[i];

		if (slot->in_use && slot->job_id == job_id &&
			slot->database_id == MyDatabaseId)
		{
			found = true;
			reporter = slot->reporter_pid;
			break;
		}
	}
	LWLockRelease(shared->lock);

	return found && (reporter == 0 || BackendPidGetProc(reporter) != NULL);
}

static char *
text_arg_or_empty(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

static int64
int64_arg_or_zero(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? 0 : PG_GETARG_INT64(argno);
}

static double
float8_arg_or_zero(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? 0.0 : PG_GETARG_FLOAT8(argno);
}

/*
 * Whether the current user may see a job submitted by role_id (0: unknown,
 * visible to superusers and pg_read_all_stats only).  Reads the catalogs:
 * never call it while holding the area's lock.
 */
bool
steep_repl_may_see_job(Oid role_id)
{
	Oid			me = GetUserId();

	return has_privs_of_role(me, ROLE_PG_READ_ALL_STATS) ||
		(OidIsValid(role_id) && has_privs_of_role(me, role_id));
}

/*
 * _report_progress(p_job_id, p_kind, p_phase, p_percent, p_current_item,
 *					p_items_done, p_items_total, p_rows_done, p_bytes_done,
 *					p_rows_per_sec, p_bytes_per_sec, p_cancel_requested,
 *					p_role)
 *
 * Overwrites the job's slot, claiming a free one on the first report, and
 * returns the slot's generation.  NULL numbers are stored as 0.  p_role,
 * the job's submitter, is recorded when the slot is claimed and ignored
 * afterwards.
 */
Datum
steep_repl_report_progress(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	int64		job_id;
	char	   *kind;
	char	   *phase = text_arg_or_empty(fcinfo, 2);
	char	   *current_item = text_arg_or_empty(fcinfo, 4);
	double		percent = float8_arg_or_zero(fcinfo, 3);
	Oid			role_id = (PG_NARGS() > 12 && !PG_ARGISNULL(12)) ?
		PG_GETARG_OID(12) : InvalidOid;
	TimestampTz now = GetCurrentTimestamp();
	JobSlot    *slot = NULL;
	uint64		generation;
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("job id and job kind must not be null")));
	job_id = PG_GETARG_INT64(0);
	kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (job_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("job id " INT64_FORMAT " is invalid", job_id),
				 errhint("A job id is the positive id of a row in steep_repl.work_queue.")));
	if (isnan(percent) || percent < 0.0 || percent > 100.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("percent %g is out of range", percent),
				 errhint("A percentage is between 0 and 100.")));

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < shared->num_slots; i++)
	{
		JobSlot    *candidate = &shared->slots[i];

		if (candidate->in_use && candidate->job_id == job_id &&
			candidate->database_id == MyDatabaseId)
		{
			slot = candidate;
			break;
		}
		if (!candidate->in_use && slot == NULL)
			slot = candidate;
	}
	if (slot == NULL)
	{
		LWLockRelease(shared->lock);
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("no free steep_repl job slot for job " INT64_FORMAT, job_id),
				 errdetail("All %d job slots are in use.", shared->num_slots),
				 errhint("Increase steep_repl.max_job_slots and restart the server, or lower steep_repl.max_concurrent_jobs.")));
	}
	if (!slot->in_use)
	{
		slot->in_use = true;
		slot->generation++;
		slot->job_id = job_id;
		slot->database_id = MyDatabaseId;
		slot->role_id = role_id;
		slot->started_at = now;
	}
	steep_repl_copy_clipped(slot->kind, kind, JOB_SLOT_KIND_LEN);
	steep_repl_copy_clipped(slot->phase, phase, JOB_SLOT_PHASE_LEN);
	steep_repl_copy_clipped(slot->current_item, current_item, JOB_SLOT_ITEM_LEN);
	slot->percent = percent;
	slot->items_done = int64_arg_or_zero(fcinfo, 5);
	slot->items_total = int64_arg_or_zero(fcinfo, 6);
	slot->rows_done = int64_arg_or_zero(fcinfo, 7);
	slot->bytes_done = int64_arg_or_zero(fcinfo, 8);
	slot->rows_per_sec = float8_arg_or_zero(fcinfo, 9);
	slot->bytes_per_sec = float8_arg_or_zero(fcinfo, 10);
	slot->cancel_requested = !PG_ARGISNULL(11) && PG_GETARG_BOOL(11);
	slot->updated_at = now;
	slot->reporter_pid = MyProcPid;
	generation = slot->generation;
	LWLockRelease(shared->lock);

	PG_RETURN_INT64((int64) generation);
}

/* _finish_progress(p_job_id): frees the job's slot; false if it had none. */
Datum
steep_repl_finish_progress(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	int64		job_id = PG_GETARG_INT64(0);
	bool		freed = false;
	int			i;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < shared->num_slots; i++)
	{
		JobSlot    *slot = &shared->slots[i];

		if (slot->in_use && slot->job_id == job_id &&
			slot->database_id == MyDatabaseId)
		{
			/* keep the generation: the next claim must differ from it */
			slot->in_use = false;
			freed = true;
			break;
		}
	}
	LWLockRelease(shared->lock);

	/* the worker frees the slot once the job's outcome has committed */
	steep_repl_announce_job_end();
	PG_RETURN_BOOL(freed);
}

/*
 * job_progress(p_job_id default null): one row per slot in use whose job
 * belongs to the current database (job ids are per database) and the caller
 * may see.
 */
Datum
steep_repl_job_progress(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		all_jobs = PG_ARGISNULL(0);
	int64		job_id = all_jobs ? 0 : PG_GETARG_INT64(0);
	JobSlot    *copies;
	int			ncopies = 0;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	/* copy under the lock, build tuples (which may raise errors) after */
	copies = palloc(sizeof(JobSlot) * shared->num_slots);
	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < shared->num_slots; i++)
	{
		JobSlot    *slot = &shared->slots[i];

		if (slot->in_use && slot->database_id == MyDatabaseId &&
			(all_jobs || slot->job_id == job_id))
			copies[ncopies++] = *slot;
	}
	LWLockRelease(shared->lock);

	for (i = 0; i < ncopies; i++)
	{
		JobSlot    *slot = &copies[i];
		Datum		values[JOB_PROGRESS_COLUMNS];
		bool		nulls[JOB_PROGRESS_COLUMNS];
		int			col = 0;

		if (!steep_repl_may_see_job(slot->role_id))
			continue;
		memset(nulls, 0, sizeof(nulls));
		values[col++] = Int64GetDatum(slot->job_id);
		values[col++] = CStringGetTextDatum(slot->kind);
		values[col++] = CStringGetTextDatum(slot->phase);
		values[col++] = Float8GetDatum(slot->percent);
		values[col++] = Int64GetDatum(slot->items_done);
		values[col++] = Int64GetDatum(slot->items_total);
		values[col++] = Int64GetDatum(slot->rows_done);
		values[col++] = Int64GetDatum(slot->bytes_done);
		if (slot->current_item[0] == '\0')
			nulls[col] = true;
		values[col++] = CStringGetTextDatum(slot->current_item);
		values[col++] = Float8GetDatum(slot->rows_per_sec);
		values[col++] = Float8GetDatum(slot->bytes_per_sec);
		values[col++] = TimestampTzGetDatum(slot->started_at);
		values[col++] = TimestampTzGetDatum(slot->updated_at);
		values[col++] = BoolGetDatum(slot->cancel_requested);
		values[col++] = Int32GetDatum(slot->reporter_pid);
		values[col++] = Int64GetDatum((int64) slot->generation);
		Assert(col == JOB_PROGRESS_COLUMNS);

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}

	return (Datum) 0;
}
