/*-------------------------------------------------------------------------
 *
 * supervisor.c
 *	  The "steep_repl supervisor" background worker: keeps one Java worker
 *	  process running for the whole cluster while any database has the
 *	  extension (see docs/worker.md).
 *
 * It connects to no database (like the logical replication launcher), so
 * it keeps no database from being dropped.  Which databases have the
 * extension the worker finds out itself when it starts, and CREATE
 * EXTENSION announces its database in the shared list served_databases.c
 * keeps: the supervisor starts a worker when it starts itself, after a
 * worker exited, and when a database is announced while none runs.  A
 * worker that found nothing to serve exits with WORKER_EXIT_IDLE, and the
 * supervisor waits for an announcement.  Jobs a dead worker left 'running'
 * are failed by the next worker, in each database, with the reason the
 * supervisor passes it (STEEP_ORPHAN_REASON).
 *
 * It publishes its status (pids, start count, times, state, java path) in
 * the shared area, under the area's LWLock, for worker_status().  The rest
 * of its state is private to this process.
 *
 * Failure rules, learned the hard way:
 * - Any crash of this process crash-restarts the whole server, in a loop if
 *	 it crashes early.  The code that runs before the fork is kept trivial.
 * - An ERROR here has no handler and becomes FATAL: exit code 1, and the
 *	 postmaster starts the supervisor again after bgw_restart_time.  That is
 *	 the intended way out when, say, the extension is dropped mid-query.
 * - exit(0) would unregister the worker for good; never use it.
 * - SIGINT is ignored: pg_cancel_backend() must not stop the supervisor.
 * - The Java worker runs in its own process group.  The postmaster signals
 *	 the supervisor's group, so the supervisor forwards what matters to the
 *	 worker's group itself: SIGTERM with a grace period on an orderly stop,
 *	 SIGKILL on SIGQUIT (immediate shutdown, crash-restart).  The worker also
 *	 dies with the supervisor (PDEATHSIG).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access/xact.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "java_launch.h"
#include "served_databases.h"
#include "shmem.h"
#include "steep_repl.h"
#include "supervisor.h"

#define SUPERVISOR_TYPE				"steep_repl supervisor"
/* seconds before the postmaster starts a supervisor that exited again */
#define SUPERVISOR_RESTART_SECONDS	5
/* a safety net only: the worker's exit (SIGCHLD) and announcements set the latch */
#define IDLE_WAIT_MS				10000
/* a worker that lived less than this is restarted after a doubled delay */
#define QUICK_EXIT_MS				30000
#define STOP_POLL_INTERVAL_MS		10
/* after SIGKILL, how long to wait for the kernel to finish the worker */
#define KILL_WAIT_MS				1000

/* the exit status of a worker that found no database to serve (Worker.java) */
#define WORKER_EXIT_IDLE			3

#define RESTART_REASON "server restarted while the job was running"

static volatile sig_atomic_t shutdown_requested = false;
/* the worker's process group, for the SIGQUIT handler; 0 when none */
static volatile sig_atomic_t worker_pgid = 0;

/* The Java worker as this process knows it; worker_pid 0 = none runs */
static pid_t worker_pid = 0;
static TimestampTz worker_started_at = 0;
static TimestampTz next_start_at = 0;
static int	backoff_ms = 0;
/* start a worker even with no database announced: it finds them itself */
static bool discover = true;
/* steep_repl.databases as the last worker started saw it */
static char *served_scope = NULL;
/* what the next worker tells the jobs a dead one left running */
static char *orphan_reason = NULL;
static char *bootstrap_user = NULL;

/* Reset at every turn of the main loop */
static MemoryContext cycle_context = NULL;

static void supervisor_sigterm(SIGNAL_ARGS);
static void supervisor_sigchld(SIGNAL_ARGS);
static void supervisor_sigquit(SIGNAL_ARGS);
pg_noreturn static void supervisor_loop(void);
static long next_timeout_ms(void);
static bool worker_wanted(void);
static void find_bootstrap_user(void);
static void start_worker(void);
static void reap_worker(void);
static void schedule_restart(long lived_ms);
static void signal_worker_group(int signo);
static bool wait_for_worker_exit(int timeout_ms);
static char *collect_worker(int *exit_code);
static void stop_worker(void);
static void supervisor_exit(int code, Datum arg);
static void publish_supervisor_start(void);
static void publish_worker_start(const char *java_path);
static void publish_worker_end(const char *status_text);
static void publish_worker_idle(void);

void
steep_repl_supervisor_register(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	/* never on a hot standby: the supervisor writes to work_queue */
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = SUPERVISOR_RESTART_SECONDS;
	strlcpy(worker.bgw_library_name, STEEP_REPL_NAME, sizeof(worker.bgw_library_name));
	strlcpy(worker.bgw_function_name, "steep_repl_supervisor_main",
			sizeof(worker.bgw_function_name));
	strlcpy(worker.bgw_name, SUPERVISOR_TYPE, sizeof(worker.bgw_name));
	strlcpy(worker.bgw_type, SUPERVISOR_TYPE, sizeof(worker.bgw_type));
	worker.bgw_main_arg = (Datum) 0;
	worker.bgw_notify_pid = 0;

	RegisterBackgroundWorker(&worker);
}

static void
supervisor_sigterm(SIGNAL_ARGS)
{
	int			save_errno = errno;

	shutdown_requested = true;
	SetLatch(MyLatch);
	errno = save_errno;
}

static void
supervisor_sigchld(SIGNAL_ARGS)
{
	int			save_errno = errno;

	SetLatch(MyLatch);
	errno = save_errno;
}

/*
 * SIGQUIT: immediate shutdown or crash-restart, no time for a grace period.
 * PDEATHSIG alone would kill the worker but spare what it started (a
 * pg_dump, say), so kill the whole group, then leave as PostgreSQL's own
 * handler does.
 */
static void
supervisor_sigquit(SIGNAL_ARGS)
{
	pid_t		pgid = worker_pgid;

	if (pgid > 0)
		(void) kill(-pgid, SIGKILL);
	_exit(2);
}

void
steep_repl_supervisor_main(Datum main_arg)
{
	/* Establish signal handlers before unblocking signals. */
	pqsignal(SIGTERM, supervisor_sigterm);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGCHLD, supervisor_sigchld);
	pqsignal(SIGQUIT, supervisor_sigquit);
	pqsignal(SIGINT, SIG_IGN);
	BackgroundWorkerUnblockSignals();

	cycle_context = AllocSetContextCreate(TopMemoryContext,
										  "steep_repl supervisor cycle",
										  ALLOCSET_DEFAULT_SIZES);

	/* stops the Java worker on every way out, including FATAL */
	before_shmem_exit(supervisor_exit, (Datum) 0);
	publish_supervisor_start();

	/* no database: only the shared catalogs, for the bootstrap user's name */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	pgstat_report_appname(SUPERVISOR_TYPE);
	find_bootstrap_user();
	orphan_reason = MemoryContextStrdup(TopMemoryContext, RESTART_REASON);
	ereport(LOG,
			(errmsg("steep_repl supervisor started; steep_repl.databases = '%s'",
					steep_repl_served_scope())));

	supervisor_loop();
}

static void
supervisor_loop(void)
{
	for (;;)
	{
		MemoryContextSwitchTo(cycle_context);
		MemoryContextReset(cycle_context);

		CHECK_FOR_INTERRUPTS();
		if (shutdown_requested)
			break;
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			/* the reload may fix what stopped the worker: try again now */
			next_start_at = 0;
			/* a wider scope may cover a database that has the extension */
			if (served_scope != NULL && strcmp(served_scope, steep_repl_served_scope()) != 0)
				discover = true;
		}

		if (worker_pid != 0)
			reap_worker();

		if (worker_pid == 0 && worker_wanted() &&
			GetCurrentTimestamp() >= next_start_at)
			start_worker();

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 next_timeout_ms(),
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}

	ereport(LOG, (errmsg("steep_repl supervisor shutting down")));
	/* exit code 1: the postmaster restarts it unless the server is stopping */
	proc_exit(1);
}

static long
next_timeout_ms(void)
{
	if (worker_pid != 0 || !worker_wanted())
		return IDLE_WAIT_MS;
	return TimestampDifferenceMilliseconds(GetCurrentTimestamp(), next_start_at);
}

/* A worker is wanted to find the databases, or to serve an announced one. */
static bool
worker_wanted(void)
{
	return discover || steep_repl_served_any();
}

/* The user the Java worker connects as: the one this process runs as. */
static void
find_bootstrap_user(void)
{
	StartTransactionCommand();
	bootstrap_user = MemoryContextStrdup(TopMemoryContext,
										 GetUserNameFromId(GetUserId(), false));
	CommitTransactionCommand();
}

static void
start_worker(void)
{
	JavaLaunch	launch;
	const char *problem = NULL;
	pid_t		pid;

	if (!steep_repl_java_launch_prepare(&launch, bootstrap_user, orphan_reason, &problem))
	{
		publish_worker_end(problem);
		schedule_restart(0);
		return;
	}

	if (served_scope != NULL)
		pfree(served_scope);
	served_scope = MemoryContextStrdup(TopMemoryContext, steep_repl_served_scope());

	pid = steep_repl_java_launch_start(&launch);
	if (pid < 0)
	{
		int			fork_errno = errno;

		publish_worker_end("could not fork");
		schedule_restart(0);
		errno = fork_errno;
		ereport(WARNING,
				(errmsg("could not fork the steep_repl java worker: %m")));
		return;
	}

	worker_pid = pid;
	worker_pgid = pid;
	worker_started_at = GetCurrentTimestamp();
	publish_worker_start(launch.java_path);
	ereport(LOG,
			(errmsg("started steep_repl java worker (PID %d): %s (found via %s), class path \"%s\"",
					(int) pid, launch.java_path, launch.found_via, launch.classpath)));
}

/* Signal the worker's process group (or the worker, if it has none yet). */
static void
signal_worker_group(int signo)
{
	/* kill(0) or kill(-0) would signal the supervisor's own group */
	if (worker_pid <= 0)
		return;
	if (kill(-worker_pid, signo) != 0 && errno == ESRCH)
		(void) kill(worker_pid, signo);
}

/*
 * True once the worker has exited (left as a zombie, not reaped), or is not
 * our child at all; false if it still runs after timeout_ms.
 */
static bool
wait_for_worker_exit(int timeout_ms)
{
	int			waited_ms = 0;

	for (;;)
	{
		siginfo_t	info;

		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, worker_pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0)
		{
			if (info.si_pid != 0)
				return true;
		}
		else if (errno != EINTR)
			return true;

		if (waited_ms >= timeout_ms)
			return false;
		pg_usleep(STOP_POLL_INTERVAL_MS * 1000L);
		waited_ms += STOP_POLL_INTERVAL_MS;
	}
}

/*
 * Reap an exited worker and describe how it ended.  Whatever it left in its
 * process group (a pg_dump it started, say) is killed first: while the
 * worker is an unreaped zombie its pid, and so the group id, cannot have been
 * reused by another process.
 */
static char *
collect_worker(int *exit_code)
{
	int			status;
	pid_t		reaped;

	*exit_code = -1;
	signal_worker_group(SIGKILL);
	worker_pgid = 0;
	reaped = waitpid(worker_pid, &status, WNOHANG);
	if (reaped == 0)
		return pstrdup("still running after SIGKILL");
	if (reaped != worker_pid)
		return pstrdup("exit status unknown");
	if (WIFEXITED(status))
		*exit_code = WEXITSTATUS(status);
	return wait_result_to_str(status);
}

static void
reap_worker(void)
{
	siginfo_t	info;
	pid_t		pid = worker_pid;
	long		lived_ms;
	char	   *status_text;
	int			exit_code;

	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, worker_pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0)
	{
		if (info.si_pid == 0)
			return;				/* still running */
	}
	else if (errno == EINTR)
		return;

	status_text = collect_worker(&exit_code);
	worker_pid = 0;
	lived_ms = TimestampDifferenceMilliseconds(worker_started_at, GetCurrentTimestamp());

	if (exit_code == WORKER_EXIT_IDLE)
	{
		/* nothing to serve: wait for CREATE EXTENSION, unless one came meanwhile */
		ereport(LOG,
				(errmsg("steep_repl java worker (PID %d) found no database to serve; waiting for CREATE EXTENSION steep_repl",
						(int) pid)));
		discover = false;
		backoff_ms = 0;
		next_start_at = 0;
		/* a database announced meanwhile makes the loop start a worker at once */
		(void) steep_repl_served_keep_announced();
		publish_worker_idle();
		return;
	}

	ereport(LOG,
			(errmsg("steep_repl java worker (PID %d) exited after %ld ms: %s",
					(int) pid, lived_ms, status_text)));
	publish_worker_end(status_text);
	schedule_restart(lived_ms);
	/* the next worker finds the databases again and fails what this one left */
	discover = true;
	pfree(orphan_reason);
	orphan_reason = MemoryContextStrdup(TopMemoryContext,
										psprintf("java worker exited (%s) while the job was running",
												 status_text));
}

/* Exponential back-off for quick exits, the base delay after a long run. */
static void
schedule_restart(long lived_ms)
{
	if (backoff_ms == 0 || lived_ms >= QUICK_EXIT_MS)
		backoff_ms = steep_repl_restart_delay;
	else
		backoff_ms = Min(Max(backoff_ms * 2, steep_repl_restart_delay),
						 STEEP_REPL_MAX_RESTART_DELAY_MS);
	next_start_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), backoff_ms);
	ereport(LOG,
			(errmsg("steep_repl java worker will be started again in %d ms",
					backoff_ms)));
}

/* SIGTERM, a bounded grace period, then SIGKILL. */
static void
stop_worker(void)
{
	pid_t		pid = worker_pid;
	TimestampTz start = GetCurrentTimestamp();
	char	   *status_text;
	int			exit_code;

	ereport(LOG, (errmsg("stopping steep_repl java worker (PID %d)", (int) pid)));
	signal_worker_group(SIGTERM);
	if (!wait_for_worker_exit(steep_repl_stop_timeout))
	{
		ereport(LOG,
				(errmsg("steep_repl java worker (PID %d) did not stop within %d ms, killing it",
						(int) pid, steep_repl_stop_timeout)));
		signal_worker_group(SIGKILL);
		(void) wait_for_worker_exit(KILL_WAIT_MS);
	}
	status_text = collect_worker(&exit_code);
	worker_pid = 0;
	ereport(LOG,
			(errmsg("steep_repl java worker (PID %d) stopped after %ld ms: %s",
					(int) pid,
					TimestampDifferenceMilliseconds(start, GetCurrentTimestamp()),
					status_text)));
}

/* before_shmem_exit callback: SIGTERM, FATAL and postmaster death. */
static void
supervisor_exit(int code, Datum arg)
{
	SteepReplShared *shared = steep_repl_shared;

	if (worker_pid > 0)
		stop_worker();

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	if (shared->supervisor.supervisor_pid == MyProcPid)
	{
		shared->supervisor.supervisor_pid = 0;
		shared->supervisor.supervisor_latch = NULL;
		shared->supervisor.worker_pid = 0;
		shared->supervisor.state = SUPERVISOR_STOPPED;
	}
	LWLockRelease(shared->lock);
}

static void
publish_supervisor_start(void)
{
	SteepReplShared *shared = steep_repl_shared;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->supervisor.supervisor_pid = MyProcPid;
	shared->supervisor.supervisor_latch = MyLatch;
	shared->supervisor.worker_pid = 0;
	shared->supervisor.state = SUPERVISOR_NOT_STARTED;
	LWLockRelease(shared->lock);
}

static void
publish_worker_start(const char *java_path)
{
	SteepReplShared *shared = steep_repl_shared;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->supervisor.worker_pid = worker_pid;
	shared->supervisor.worker_starts++;
	shared->supervisor.worker_started_at = worker_started_at;
	shared->supervisor.worker_connected_at = 0;
	shared->supervisor.state = SUPERVISOR_STARTING;
	steep_repl_copy_clipped(shared->supervisor.java_path, java_path, SUPERVISOR_JAVA_PATH_LEN);
	LWLockRelease(shared->lock);
}

/* The worker exited, or could not be started (status_text says why). */
static void
publish_worker_end(const char *status_text)
{
	SteepReplShared *shared = steep_repl_shared;
	TimestampTz now = GetCurrentTimestamp();

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->supervisor.worker_pid = 0;
	shared->supervisor.last_exit_at = now;
	steep_repl_copy_clipped(shared->supervisor.last_exit_status, status_text,
				 SUPERVISOR_EXIT_STATUS_LEN);
	shared->supervisor.state = SUPERVISOR_BACKING_OFF;
	LWLockRelease(shared->lock);
}

/* The worker exited because it had nothing to serve: no error, just waiting. */
static void
publish_worker_idle(void)
{
	SteepReplShared *shared = steep_repl_shared;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	shared->supervisor.worker_pid = 0;
	shared->supervisor.state = SUPERVISOR_WAITING_FOR_EXTENSION;
	LWLockRelease(shared->lock);
}
