/*-------------------------------------------------------------------------
 *
 * steep_repl.c
 *	  Library entry point: defines the steep_repl.* settings and, when loaded
 *	  by shared_preload_libraries, sets up shared memory, installs the
 *	  ProcessUtility hook and registers the supervisor background worker.
 *
 * The library is also loaded without preloading, by CREATE EXTENSION and by
 * the first call of one of its SQL functions.  Settings that can only be
 * set at server start (PGC_POSTMASTER) must not be defined then: doing so
 * raises FATAL and kills the session.  Everything else is defined in both
 * cases, so the SQL functions see the same settings either way.
 *
 * This file owns no shared state and takes no lock.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "served_databases.h"
#include "shmem.h"
#include "steep_repl.h"
#include "supervisor.h"
#include "utility_hook.h"

PG_MODULE_MAGIC;

char	   *steep_repl_database = NULL;
char	   *steep_repl_databases = NULL;
int			steep_repl_max_job_slots = STEEP_REPL_DEFAULT_JOB_SLOTS;
char	   *steep_repl_java_home = NULL;
char	   *steep_repl_jvm_options = NULL;
char	   *steep_repl_worker_classpath = NULL;
int			steep_repl_max_concurrent_jobs = STEEP_REPL_DEFAULT_CONCURRENT_JOBS;
int			steep_repl_job_retention = STEEP_REPL_DEFAULT_JOB_RETENTION_MIN;
int			steep_repl_heartbeat_stale_after = STEEP_REPL_DEFAULT_STALE_AFTER_S;
int			steep_repl_restart_delay = STEEP_REPL_DEFAULT_RESTART_DELAY_MS;
int			steep_repl_stop_timeout = STEEP_REPL_DEFAULT_STOP_TIMEOUT_MS;
char	   *steep_repl_snapshot_dir = NULL;
int			steep_repl_snapshot_hold_grace = STEEP_REPL_DEFAULT_HOLD_GRACE_S;

void		_PG_init(void);

static void define_reloadable_settings(void);
static void define_server_start_settings(void);
static bool check_snapshot_dir(char **newval, void **extra, GucSource source);

void
_PG_init(void)
{
	define_reloadable_settings();

	if (process_shared_preload_libraries_in_progress)
	{
		define_server_start_settings();
		steep_repl_shmem_install_hooks();
		steep_repl_utility_hook_install();

		/* pg_upgrade starts the server only to move catalogs: no worker */
		if (!IsBinaryUpgrade)
			steep_repl_supervisor_register();
	}

	MarkGUCPrefixReserved(STEEP_REPL_NAME);
}

/*
 * Settings that may be defined at any time: changed by a reload (PGC_SIGHUP)
 * or per session (PGC_USERSET).
 */
static void
define_reloadable_settings(void)
{
	DefineCustomStringVariable("steep_repl.databases",
							   "Databases whose jobs the steep_repl worker runs.",
							   "'*': every database that has the extension; otherwise a comma-separated list of names.",
							   &steep_repl_databases,
							   STEEP_REPL_ALL_DATABASES,
							   PGC_SIGHUP,
							   0,
							   steep_repl_check_databases, NULL, NULL);

	DefineCustomStringVariable("steep_repl.java_home",
							   "Java home directory used to run the steep_repl worker.",
							   "Empty means $JAVA_HOME of the server, else java on the server's PATH.",
							   &steep_repl_java_home,
							   "",
							   PGC_SIGHUP,
							   0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("steep_repl.jvm_options",
							   "Options passed to the JVM of the steep_repl worker, separated by white space.",
							   NULL,
							   &steep_repl_jvm_options,
							   STEEP_REPL_DEFAULT_JVM_OPTIONS,
							   PGC_SIGHUP,
							   0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("steep_repl.worker_classpath",
							   "Class path of the steep_repl worker.",
							   "Empty means every jar in the extension/steep_repl directory of the share directory.",
							   &steep_repl_worker_classpath,
							   "",
							   PGC_SIGHUP,
							   0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.max_concurrent_jobs",
							"Number of jobs the steep_repl worker runs at once.",
							NULL,
							&steep_repl_max_concurrent_jobs,
							STEEP_REPL_DEFAULT_CONCURRENT_JOBS,
							1, STEEP_REPL_MAX_CONCURRENT_JOBS,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.job_retention",
							"Age after which finished steep_repl jobs are deleted.",
							"0 keeps finished jobs forever.",
							&steep_repl_job_retention,
							STEEP_REPL_DEFAULT_JOB_RETENTION_MIN,
							0, STEEP_REPL_MAX_JOB_RETENTION_MIN,
							PGC_SIGHUP,
							GUC_UNIT_MIN,
							NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.heartbeat_stale_after",
							"Age after which a node's heartbeat counts as stale.",
							NULL,
							&steep_repl_heartbeat_stale_after,
							STEEP_REPL_DEFAULT_STALE_AFTER_S,
							1, STEEP_REPL_MAX_STALE_AFTER_S,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.restart_delay",
							"Delay before the steep_repl worker is restarted after it exits.",
							"The delay doubles after each exit within 30 seconds of the start, up to 60 seconds.",
							&steep_repl_restart_delay,
							STEEP_REPL_DEFAULT_RESTART_DELAY_MS,
							1, STEEP_REPL_MAX_RESTART_DELAY_MS,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.stop_timeout",
							"Time the steep_repl worker gets to stop after SIGTERM before it is killed.",
							NULL,
							&steep_repl_stop_timeout,
							STEEP_REPL_DEFAULT_STOP_TIMEOUT_MS,
							0, STEEP_REPL_MAX_STOP_TIMEOUT_MS,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	/*
	 * Read by each snapshot holder: it covers the gap between the death of
	 * a Java worker and the retry that claims the job again.
	 */
	DefineCustomIntVariable("steep_repl.snapshot_hold_grace",
							"Time a snapshot holder waits for its job to run again before it releases the snapshot.",
							"0 releases the snapshot as soon as the job is not running.",
							&steep_repl_snapshot_hold_grace,
							STEEP_REPL_DEFAULT_HOLD_GRACE_S,
							0, STEEP_REPL_MAX_HOLD_GRACE_S,
							PGC_SIGHUP,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	/*
	 * Opens a directory to snapshot files for roles without
	 * pg_write_server_files / pg_read_server_files, so only a superuser may
	 * set it.
	 */
	DefineCustomStringVariable("steep_repl.snapshot_dir",
							   "Directory under which any role may write and read snapshots.",
							   "Empty means none: snapshot paths then need pg_write_server_files or pg_read_server_files.",
							   &steep_repl_snapshot_dir,
							   "",
							   PGC_SUSET,
							   0,
							   check_snapshot_dir, NULL, NULL);
}

/*
 * steep_repl.snapshot_dir: empty, or the canonical form of an absolute path
 * without "." or ".." components that is not the root directory (every path
 * would lie under "/").  The value is canonicalised in place (repeated and
 * trailing "/" removed; never longer), so that check_snapshot_path() in SQL
 * and the worker's real-path check compare against the same directory.
 */
static bool
check_snapshot_dir(char **newval, void **extra, GucSource source)
{
	char	   *dir = *newval;
	const char *component;
	char	   *out;
	const char *in;

	if (dir == NULL || dir[0] == '\0')
		return true;
	if (dir[0] != '/' || strpbrk(dir, "\n\r") != NULL || strlen(dir) >= MAXPGPATH)
	{
		GUC_check_errdetail("steep_repl.snapshot_dir must be an absolute path of one line.");
		GUC_check_errhint("For example /var/lib/steep-repl/snapshots.");
		return false;
	}
	for (component = dir; component != NULL; component = strchr(component + 1, '/'))
	{
		const char *name = component + 1;
		size_t		len = strcspn(name, "/");

		if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		{
			GUC_check_errdetail("steep_repl.snapshot_dir must not contain \".\" or \"..\" components.");
			GUC_check_errhint("Name the directory by its canonical path.");
			return false;
		}
	}

	if (strspn(dir, "/") == strlen(dir))
	{
		GUC_check_errdetail("steep_repl.snapshot_dir must not be the root directory: every path lies under it.");
		GUC_check_errhint("Name a directory that holds only snapshots, e.g. /var/lib/steep-repl/snapshots.");
		return false;
	}

	/* canonical form: no repeated "/", no trailing "/" (never longer) */
	out = dir;
	for (in = dir; *in != '\0'; in++)
	{
		if (*in == '/' && out > dir && out[-1] == '/')
			continue;
		*out++ = *in;
	}
	if (out > dir + 1 && out[-1] == '/')
		out--;
	*out = '\0';
	return true;
}

/* Settings fixed at server start; only legal while preloading. */
static void
define_server_start_settings(void)
{
	DefineCustomStringVariable("steep_repl.database",
							   "Deprecated: the one database the steep_repl worker serves; use steep_repl.databases.",
							   "Empty: steep_repl.databases decides.  Set, while steep_repl.databases is '*', it is a list of one.",
							   &steep_repl_database,
							   STEEP_REPL_DEFAULT_DATABASE,
							   PGC_POSTMASTER,
							   0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("steep_repl.max_job_slots",
							"Number of job progress slots in shared memory.",
							NULL,
							&steep_repl_max_job_slots,
							STEEP_REPL_DEFAULT_JOB_SLOTS,
							STEEP_REPL_MIN_JOB_SLOTS, STEEP_REPL_MAX_JOB_SLOTS,
							PGC_POSTMASTER,
							0,
							NULL, NULL, NULL);
}
