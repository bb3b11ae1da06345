/*-------------------------------------------------------------------------
 *
 * java_launch.c
 *	  Finds Java, builds the Java worker's command line and environment, and
 *	  forks and execs it in a process group of its own.
 *
 * Called by the supervisor only; nothing here touches shared memory or takes
 * a lock.  All memory comes from the caller's current memory context.
 *
 * The child gets an explicit, minimal environment rather than the
 * postmaster's, which is whatever the shell or service manager that started
 * the server had.  It learns how to connect back (socket directory, port,
 * database, user) from STEEP_* variables; no password exists anywhere.
 *
 * Between fork and exec the child only makes async-signal-safe system calls,
 * and leaves with _exit(): running the supervisor's exit callbacks there
 * would release the supervisor's PGPROC and locks.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "postmaster/postmaster.h"
#include "utils/varlena.h"

#include "java_launch.h"
#include "steep_repl.h"

/* The child's PATH: enough for a JVM, nothing from the server's environment */
#define CHILD_PATH				"/usr/local/bin:/usr/bin:/bin"
#define CHILD_LANG				"C.UTF-8"
#define FORK_EPOCH_ENTRY_LEN	64
/* PATH, HOME, LANG and seven STEEP_* variables */
#define CHILD_ENV_ENTRIES		10
/* exit code of a child that could not exec, as a shell reports it */
#define EXIT_EXEC_FAILED		127
/* exit code of a child whose supervisor died before it got going */
#define EXIT_PARENT_GONE		126

static char *resolve_executable(const char *path);
static char *java_in_home(const char *home);
static char *java_on_path(const char *path);
static char *find_java(const char **found_via, const char **problem);
static char *default_classpath(void);
static char *first_socket_directory(void);
static List *split_on_white_space(const char *str);
static char **build_argv(const char *java_path, const char *classpath);
pg_noreturn static void exec_in_child(const JavaLaunch *launch, pid_t parent);

/* realpath into malloc'd memory: fortified libc aborts on a short buffer. */
static char *
resolve_executable(const char *path)
{
	char	   *resolved = realpath(path, NULL);
	char	   *result = NULL;
	struct stat st;

	if (resolved == NULL)
		return NULL;
	if (stat(resolved, &st) == 0 && S_ISREG(st.st_mode) &&
		access(resolved, X_OK) == 0)
		result = pstrdup(resolved);
	free(resolved);
	return result;
}

static char *
java_in_home(const char *home)
{
	return resolve_executable(psprintf("%s/bin/java", home));
}

/* The first "java" in an absolute directory of PATH. */
static char *
java_on_path(const char *path)
{
	char	   *dirs;
	char	   *dir;
	char	   *saveptr = NULL;

	if (path == NULL)
		return NULL;
	dirs = pstrdup(path);
	for (dir = strtok_r(dirs, ":", &saveptr); dir != NULL;
		 dir = strtok_r(NULL, ":", &saveptr))
	{
		char	   *java;

		/* a relative entry would be resolved against the data directory */
		if (!is_absolute_path(dir))
			continue;
		java = resolve_executable(psprintf("%s/java", dir));
		if (java != NULL)
			return java;
	}
	return NULL;
}

/*
 * steep_repl.java_home, else $JAVA_HOME, else PATH.  A setting that is given
 * but wrong is reported, not skipped: silently running another Java would
 * hide the mistake.
 */
static char *
find_java(const char **found_via, const char **problem)
{
	const char *java_home_env = getenv("JAVA_HOME");
	char	   *java;

	if (steep_repl_java_home != NULL && steep_repl_java_home[0] != '\0')
	{
		*found_via = "steep_repl.java_home";
		java = java_in_home(steep_repl_java_home);
		if (java == NULL)
		{
			ereport(WARNING,
					(errmsg("steep_repl.java_home \"%s\" has no executable bin/java",
							steep_repl_java_home),
					 errhint("Set steep_repl.java_home to the home directory of a Java 17 or later runtime and reload the configuration.")));
			*problem = "java not found via steep_repl.java_home";
		}
		return java;
	}

	if (java_home_env != NULL && java_home_env[0] != '\0')
	{
		*found_via = "$JAVA_HOME";
		java = java_in_home(java_home_env);
		if (java == NULL)
		{
			ereport(WARNING,
					(errmsg("JAVA_HOME \"%s\" of the server has no executable bin/java",
							java_home_env),
					 errhint("Set steep_repl.java_home to the home directory of a Java 17 or later runtime and reload the configuration.")));
			*problem = "java not found via $JAVA_HOME";
		}
		return java;
	}

	*found_via = "$PATH";
	java = java_on_path(getenv("PATH"));
	if (java == NULL)
	{
		ereport(WARNING,
				(errmsg("no java executable found on the server's PATH"),
				 errhint("Set steep_repl.java_home to the home directory of a Java 17 or later runtime and reload the configuration.")));
		*problem = "java not found on $PATH";
	}
	return java;
}

/*
 * Every jar in <sharedir>/extension/steep_repl: a class path entry ending in
 * a star, which the JVM expands itself.
 */
static char *
default_classpath(void)
{
	char		share_path[MAXPGPATH];

	get_share_path(my_exec_path, share_path);
	return psprintf("%s/extension/%s/*", share_path, STEEP_REPL_NAME);
}

/* The first entry of unix_socket_directories, or NULL. */
static char *
first_socket_directory(void)
{
	List	   *dirs = NIL;

	if (Unix_socket_directories == NULL ||
		!SplitDirectoriesString(pstrdup(Unix_socket_directories), ',', &dirs) ||
		dirs == NIL)
		return NULL;
	return (char *) linitial(dirs);
}

static List *
split_on_white_space(const char *str)
{
	List	   *words = NIL;
	const char *p = str;

	while (*p != '\0')
	{
		const char *start;

		while (*p != '\0' && isspace((unsigned char) *p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && !isspace((unsigned char) *p))
			p++;
		words = lappend(words, pnstrdup(start, p - start));
	}
	return words;
}

/* <java> <jvm_options...> -cp <classpath> <main class> worker */
static char **
build_argv(const char *java_path, const char *classpath)
{
	List	   *options = split_on_white_space(steep_repl_jvm_options ?
											   steep_repl_jvm_options : "");
	/* java, the options, -cp, the class path, main class, command, NULL */
	char	  **argv = palloc0(sizeof(char *) * (list_length(options) + 6));
	int			argc = 0;
	ListCell   *lc;

	argv[argc++] = pstrdup(java_path);
	foreach(lc, options)
		argv[argc++] = (char *) lfirst(lc);
	argv[argc++] = "-cp";
	argv[argc++] = pstrdup(classpath);
	argv[argc++] = JAVA_WORKER_MAIN_CLASS;
	argv[argc++] = JAVA_WORKER_COMMAND;
	argv[argc] = NULL;
	return argv;
}

/*
 * Builds everything the child needs.  Returns false, with a short *problem
 * for worker_status() and a WARNING in the log, when the worker cannot be
 * started with the current settings.
 */
bool
steep_repl_java_launch_prepare(JavaLaunch *launch, const char *user,
							   const char *orphan_reason, const char **problem)
{
	const char *home = getenv("HOME");
	char	   *socket_dir;
	char	  **envp;
	int			envc = 0;

	memset(launch, 0, sizeof(*launch));

	launch->java_path = find_java(&launch->found_via, problem);
	if (launch->java_path == NULL)
		return false;

	socket_dir = first_socket_directory();
	if (socket_dir == NULL)
	{
		ereport(WARNING,
				(errmsg("the steep_repl worker cannot start: unix_socket_directories is empty"),
				 errhint("The worker connects over a Unix-domain socket. Set unix_socket_directories and restart the server.")));
		*problem = "unix_socket_directories is empty";
		return false;
	}

	if (steep_repl_worker_classpath != NULL && steep_repl_worker_classpath[0] != '\0')
		launch->classpath = pstrdup(steep_repl_worker_classpath);
	else
		launch->classpath = default_classpath();

	launch->argv = build_argv(launch->java_path, launch->classpath);

	envp = palloc0(sizeof(char *) * (CHILD_ENV_ENTRIES + 1));
	envp[envc++] = "PATH=" CHILD_PATH;
	envp[envc++] = psprintf("HOME=%s", (home != NULL && home[0] != '\0') ? home : DataDir);
	envp[envc++] = "LANG=" CHILD_LANG;
	envp[envc++] = psprintf("STEEP_PGHOST=%s", socket_dir);
	envp[envc++] = psprintf("STEEP_PGPORT=%d", PostPortNumber);
	envp[envc++] = psprintf("STEEP_PGDATABASE=%s", STEEP_REPL_MAINTENANCE_DATABASE);
	envp[envc++] = psprintf("STEEP_PGUSER=%s", user);
	envp[envc++] = psprintf("STEEP_SUPERVISOR_PID=%d", (int) MyProcPid);
	envp[envc++] = psprintf("STEEP_ORPHAN_REASON=%s", orphan_reason);
	launch->fork_epoch_entry = palloc0(FORK_EPOCH_ENTRY_LEN);
	envp[envc++] = launch->fork_epoch_entry;
	Assert(envc == CHILD_ENV_ENTRIES);
	envp[envc] = NULL;
	launch->envp = envp;

	launch->max_fd = sysconf(_SC_OPEN_MAX);
	return true;
}

/*
 * Forks the worker.  Returns its pid (also its process group id), or -1
 * with errno set when fork failed.
 */
pid_t
steep_repl_java_launch_start(JavaLaunch *launch)
{
	pid_t		parent = getpid();
	struct timeval now;
	pid_t		pid;

	gettimeofday(&now, NULL);
	snprintf(launch->fork_epoch_entry, FORK_EPOCH_ENTRY_LEN,
			 "STEEP_FORK_EPOCH_US=%lld",
			 (long long) now.tv_sec * 1000000 + now.tv_usec);

	/* the child must not inherit unwritten stdio buffers */
	fflush(NULL);

	pid = fork();
	if (pid == 0)
		exec_in_child(launch, parent);

	/*
	 * The child makes itself a group leader too; doing it from both sides
	 * means the group exists before either signals it.  It fails harmlessly
	 * once the child has exec'd.
	 */
	if (pid > 0)
		(void) setpgid(pid, pid);
	return pid;
}

/* The child, from fork to exec: async-signal-safe calls only. */
static void
exec_in_child(const JavaLaunch *launch, pid_t parent)
{
	struct sigaction default_action;
	sigset_t	empty_mask;
	int			signo;

	/*
	 * Own process group: the postmaster and pg_signal_backend signal the
	 * supervisor's whole group, and a JVM answers SIGQUIT with a thread dump
	 * instead of exiting.
	 */
	(void) setpgid(0, 0);

	/* die with the supervisor, even when it is killed */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(EXIT_PARENT_GONE);

	/* ignored signals and the blocked mask survive exec: reset them */
	memset(&default_action, 0, sizeof(default_action));
	default_action.sa_handler = SIG_DFL;
	sigemptyset(&default_action.sa_mask);
	for (signo = 1; signo < NSIG; signo++)
		(void) sigaction(signo, &default_action, NULL);
	sigemptyset(&empty_mask);
	(void) sigprocmask(SIG_SETMASK, &empty_mask, NULL);

	/* keep 0-2; close the postmaster-alive pipe, relation files and sockets */
#ifdef STEEP_REPL_HAVE_CLOSE_RANGE
	if (close_range(3, ~0U, 0) != 0)
#endif
	{
		long		fd;

		for (fd = 3; fd < launch->max_fd; fd++)
			(void) close((int) fd);
	}

	execve(launch->java_path, launch->argv, launch->envp);
	_exit(EXIT_EXEC_FAILED);
}
