/*-------------------------------------------------------------------------
 *
 * java_launch.h
 *	  Finding Java and starting the steep_repl Java worker process.
 *
 * Used by the supervisor only.  Nothing here touches shared memory or takes
 * a lock.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_JAVA_LAUNCH_H
#define STEEP_REPL_JAVA_LAUNCH_H

#include "compat.h"

#define JAVA_WORKER_MAIN_CLASS	"io.steep.repl.cli.SteepRepl"
#define JAVA_WORKER_COMMAND		"worker"

/*
 * Everything the child needs, built before the fork: between fork and exec
 * the child may only make async-signal-safe calls.
 */
typedef struct JavaLaunch
{
	char	   *java_path;		/* absolute, symbolic links resolved */
	const char *found_via;		/* which setting led to it */
	char	   *classpath;
	char	  **argv;
	char	  **envp;
	char	   *fork_epoch_entry;	/* envp entry written just before fork */
	long		max_fd;			/* for closing descriptors without close_range */
} JavaLaunch;

extern bool steep_repl_java_launch_prepare(JavaLaunch *launch,
										   const char *user,
										   const char *orphan_reason,
										   const char **problem);
extern pid_t steep_repl_java_launch_start(JavaLaunch *launch);

#endif							/* STEEP_REPL_JAVA_LAUNCH_H */
