/*-------------------------------------------------------------------------
 *
 * served_databases.h
 *	  The databases the Java worker serves (served_databases.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SERVED_DATABASES_H
#define STEEP_REPL_SERVED_DATABASES_H

#include "compat.h"

#include "nodes/parsenodes.h"
#include "utils/guc.h"

extern bool steep_repl_check_databases(char **newval, void **extra, GucSource source);
extern bool steep_repl_database_in_scope(const char *datname);
extern const char *steep_repl_served_scope(void);
extern void steep_repl_served_announce(Oid database_id);
extern bool steep_repl_served_keep_announced(void);
extern bool steep_repl_served_any(void);
extern void steep_repl_served_wake_supervisor(void);
extern char *steep_repl_served_summary(void);
extern Oid	steep_repl_served_begin_drop(DropdbStmt *stmt);
extern void steep_repl_served_end_drop(Oid database_id, bool dropped);

#endif							/* STEEP_REPL_SERVED_DATABASES_H */
