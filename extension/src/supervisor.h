/*-------------------------------------------------------------------------
 *
 * supervisor.h
 *	  The "steep_repl supervisor" background worker, which runs the Java
 *	  worker as its child process.
 *
 * Its status is published in the shared area (shmem.h) under that
 * area's LWLock.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SUPERVISOR_H
#define STEEP_REPL_SUPERVISOR_H

#include "compat.h"

#include "fmgr.h"

extern void steep_repl_supervisor_register(void);
extern PGDLLEXPORT void steep_repl_supervisor_main(Datum main_arg);

#endif							/* STEEP_REPL_SUPERVISOR_H */
