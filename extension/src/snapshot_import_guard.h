/*-------------------------------------------------------------------------
 *
 * snapshot_import_guard.h
 *	  Who may import a snapshot that a steep_repl snapshot holder exported
 *	  (snapshot_import_guard.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef STEEP_REPL_SNAPSHOT_IMPORT_GUARD_H
#define STEEP_REPL_SNAPSHOT_IMPORT_GUARD_H

#include "compat.h"

#include "nodes/nodes.h"

extern void steep_repl_snapshot_import_guard(Node *parsetree);

#endif							/* STEEP_REPL_SNAPSHOT_IMPORT_GUARD_H */
