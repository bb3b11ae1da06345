/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  The one place for differences between the PostgreSQL majors and C
 *	  libraries that steep_repl builds against.
 *
 * Tested on PostgreSQL 15; written for 15 to 18.  Every version-dependent
 * construct belongs here, so that the other files read the same on all
 * majors.  Nothing here is shared state, so no lock is involved.
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_COMPAT_H
#define STEEP_REPL_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "steep_repl requires PostgreSQL 15 or later (shmem_request_hook)"
#endif

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn() (written after a
 * declaration) by pg_noreturn (written before it).  GCC accepts its
 * attribute in front, so one spelling serves every major.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * The process and local transaction numbers that start the name of every
 * snapshot a transaction exports ("%08X-%08X-<n>", snapmgr.c): PostgreSQL 17
 * renamed the backend ID to a proc number and moved both into MyProc->vxid.
 * Needs storage/proc.h.
 */
#if PG_VERSION_NUM >= 170000
#define STEEP_REPL_MY_VXID_PROC		(MyProc->vxid.procNumber)
#define STEEP_REPL_MY_VXID_LXID		(MyProc->vxid.lxid)
#else
#define STEEP_REPL_MY_VXID_PROC		(MyProc->backendId)
#define STEEP_REPL_MY_VXID_LXID		(MyProc->lxid)
#endif

/*
 * PostgreSQL 16 replaced the per-catalog ownership checks by one.  Needs
 * utils/acl.h (and catalog/pg_database.h from 16 on).
 */
#if PG_VERSION_NUM >= 160000
#define STEEP_REPL_DATABASE_OWNERCHECK(dboid, roleid) \
	object_ownercheck(DatabaseRelationId, (dboid), (roleid))
#else
#define STEEP_REPL_DATABASE_OWNERCHECK(dboid, roleid) \
	pg_database_ownercheck((dboid), (roleid))
#endif

/*
 * close_range() exists from glibc 2.34 (declared with _GNU_SOURCE, which
 * PGXS defines) and Linux 5.9.  Without it the child closes descriptors one
 * by one.
 */
#if defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define STEEP_REPL_HAVE_CLOSE_RANGE 1
#endif

#endif							/* STEEP_REPL_COMPAT_H */
