/*-------------------------------------------------------------------------
 *
 * shmem.c
 *	  Creates the steep_repl shared-memory area (layout and locking in
 *	  shmem.h): requests its size and its LWLock, and initialises it once.
 *
 * The hooks run in the postmaster (request, startup) and, on EXEC_BACKEND
 * platforms, in every process (startup); they chain to the hooks installed
 * before them.  Initialisation happens under AddinShmemInitLock; after it,
 * the area's own LWLock applies (shmem.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/shmem.h"

#include "shmem.h"
#include "steep_repl.h"

SteepReplShared *steep_repl_shared = NULL;

/* Saved hook values, to chain to */
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static Size job_slots_size(void);
static Size shared_size(void);
static void request_area(void);
static void create_area(void);

/* Called by _PG_init while preloading. */
void
steep_repl_shmem_install_hooks(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = request_area;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = create_area;
}

/* The job slots end here; the snapshot holder slots follow, aligned. */
static Size
job_slots_size(void)
{
	return MAXALIGN(add_size(offsetof(SteepReplShared, slots),
							 mul_size(steep_repl_max_job_slots, sizeof(JobSlot))));
}

static Size
shared_size(void)
{
	return add_size(job_slots_size(),
					mul_size(steep_repl_max_job_slots, sizeof(HolderSlot)));
}

/* Since PostgreSQL 15 both requests must be made from this hook. */
static void
request_area(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();

	RequestAddinShmemSpace(MAXALIGN(shared_size()));
	RequestNamedLWLockTranche(STEEP_REPL_NAME, 1);
}

static void
create_area(void)
{
	bool		found;
	int			i;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	/* reset in case this is a restart within the postmaster */
	steep_repl_shared = NULL;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	steep_repl_shared = ShmemInitStruct(STEEP_REPL_NAME, shared_size(), &found);
	if (!found)
	{
		memset(steep_repl_shared, 0, shared_size());
		steep_repl_shared->lock = &(GetNamedLWLockTranche(STEEP_REPL_NAME))->lock;
		steep_repl_shared->num_slots = steep_repl_max_job_slots;
		steep_repl_shared->holders =
			(HolderSlot *) ((char *) steep_repl_shared + job_slots_size());
		/* zeroed memory is a free slot; the condition variables and the atomic need more */
		for (i = 0; i < steep_repl_max_job_slots; i++)
			ConditionVariableInit(&steep_repl_shared->holders[i].changed);
		pg_atomic_init_u64(&steep_repl_shared->jobs_ended, 0);
		ConditionVariableInit(&steep_repl_shared->job_ended);
	}
	LWLockRelease(AddinShmemInitLock);
}

/* The shared area, or the error every function that needs it raises. */
SteepReplShared *
steep_repl_shmem_require(void)
{
	if (steep_repl_shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("steep_repl shared memory is not initialized"),
				 errdetail("The steep_repl library was not loaded via shared_preload_libraries."),
				 errhint("Add steep_repl to shared_preload_libraries in postgresql.conf and restart the server.")));
	return steep_repl_shared;
}

/*
 * strlcpy that never cuts a multibyte character in two, for the area's text
 * fields.  dstlen includes the terminating zero.
 */
void
steep_repl_copy_clipped(char *dst, const char *src, int dstlen)
{
	int			len = strlen(src);

	if (len >= dstlen)
		len = pg_mbcliplen(src, len, dstlen - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}
