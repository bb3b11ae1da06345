/*-------------------------------------------------------------------------
 *
 * steep_repl.h
 *	  Settings (GUCs) of the steep_repl extension: their defaults, limits and
 *	  the C variables behind them.
 *
 * The variables are written only by the GUC machinery, at load time and when
 * the configuration is reloaded in the reading process itself, so readers
 * need no lock.  steep_repl.database and steep_repl.max_job_slots exist only
 * when the library was loaded by shared_preload_libraries.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_H
#define STEEP_REPL_H

#include "compat.h"

#define STEEP_REPL_NAME					"steep_repl"

/*
 * steep_repl.databases: the databases the Java worker serves, '*' for every
 * database that has the extension.  steep_repl.database, deprecated, names
 * one database; empty (the default) leaves the choice to the former.
 */
#define STEEP_REPL_ALL_DATABASES		"*"
#define STEEP_REPL_DEFAULT_DATABASE		""

/*
 * Where the Java worker first connects to list the databases (it falls back
 * to template1 when this one is gone), for a moment only
 */
#define STEEP_REPL_MAINTENANCE_DATABASE	"postgres"

/*
 * How long DROP DATABASE of a served database waits for the worker to close
 * its sessions there, in ms (the worker looks every second)
 */
#define STEEP_REPL_DROP_WAIT_MS			3000

/* steep_repl.max_job_slots: progress slots in shared memory */
#define STEEP_REPL_DEFAULT_JOB_SLOTS	32
#define STEEP_REPL_MIN_JOB_SLOTS		1
#define STEEP_REPL_MAX_JOB_SLOTS		1024

/*
 * steep_repl.jvm_options: a small heap, but the full JIT: snapshots stream
 * gigabytes through the worker's copy loops, which C1-only code slows down.
 * -Xms16m: the initial heap would otherwise be 1/64 of the machine's memory,
 * and a streaming generate touches all of its young generation before the
 * first collection (worker RSS 206 MB against 110 MB generating 1.5 GB, in
 * the same time; docs/performance.md)
 * Tier4*: C2 compiles a method only after 100 times the usual number of
 * calls. Loops still reach C2 by their back-edge count, which stays as it
 * is, and the per-row methods of a copy are called millions of times; what
 * waits at C1 is the code a job runs once per table or statement, which C2
 * otherwise kept compiling through a fresh worker's first jobs (about 0.3
 * CPU s per apply; docs/decisions.md)
 */
#define STEEP_REPL_DEFAULT_JVM_OPTIONS \
	"-XX:+UseSerialGC -Xss512k -Xms16m -Xmx512m" \
	" -XX:Tier4InvocationThreshold=500000 -XX:Tier4MinInvocationThreshold=60000" \
	" -XX:Tier4CompileThreshold=1500000"

/* steep_repl.max_concurrent_jobs */
#define STEEP_REPL_DEFAULT_CONCURRENT_JOBS	1
#define STEEP_REPL_MAX_CONCURRENT_JOBS		64

/* steep_repl.job_retention, in minutes; 0 keeps finished jobs forever */
#define STEEP_REPL_DEFAULT_JOB_RETENTION_MIN	(7 * 24 * 60)
#define STEEP_REPL_MAX_JOB_RETENTION_MIN		(3650 * 24 * 60)

/* steep_repl.heartbeat_stale_after, in seconds */
#define STEEP_REPL_DEFAULT_STALE_AFTER_S	60
#define STEEP_REPL_MAX_STALE_AFTER_S		(7 * 24 * 3600)

/* steep_repl.restart_delay, in ms: the first back-off; it doubles up to the max */
#define STEEP_REPL_DEFAULT_RESTART_DELAY_MS	1000
#define STEEP_REPL_MAX_RESTART_DELAY_MS		60000

/* steep_repl.stop_timeout, in ms: SIGTERM grace before SIGKILL */
#define STEEP_REPL_DEFAULT_STOP_TIMEOUT_MS	5000
#define STEEP_REPL_MAX_STOP_TIMEOUT_MS		600000

/*
 * steep_repl.snapshot_hold_grace, in seconds: how long a snapshot holder
 * outlives the run of its job (docs/worker.md)
 */
#define STEEP_REPL_DEFAULT_HOLD_GRACE_S	120
#define STEEP_REPL_MAX_HOLD_GRACE_S		(7 * 24 * 3600)

extern char *steep_repl_database;
extern char *steep_repl_databases;
extern int	steep_repl_max_job_slots;
extern char *steep_repl_java_home;
extern char *steep_repl_jvm_options;
extern char *steep_repl_worker_classpath;
extern int	steep_repl_max_concurrent_jobs;
extern int	steep_repl_job_retention;
extern int	steep_repl_heartbeat_stale_after;
extern int	steep_repl_restart_delay;
extern int	steep_repl_stop_timeout;
extern char *steep_repl_snapshot_dir;
extern int	steep_repl_snapshot_hold_grace;

#endif							/* STEEP_REPL_H */
