/*-------------------------------------------------------------------------
 *
 * utility_hook.c
 *	  The library's one ProcessUtility hook, installed while preloading:
 *	  SET TRANSACTION SNAPSHOT passes the snapshot import guard
 *	  (snapshot_import_guard.c) first, and DROP DATABASE of a database the
 *	  worker serves first makes the worker let go (served_databases.c).
 *	  Every statement then goes to the hook installed before this one, or to
 *	  PostgreSQL.
 *
 * It keeps no state of its own beyond the previous hook.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/parsenodes.h"
#include "tcop/utility.h"

#include "served_databases.h"
#include "snapshot_import_guard.h"
#include "utility_hook.h"

/* Saved hook value, to chain to */
static ProcessUtility_hook_type prev_process_utility_hook = NULL;

static void steep_repl_process_utility(PlannedStmt *pstmt, const char *queryString,
									   bool readOnlyTree, ProcessUtilityContext context,
									   ParamListInfo params, QueryEnvironment *queryEnv,
									   DestReceiver *dest, QueryCompletion *qc);

/* Called by _PG_init while preloading. */
void
steep_repl_utility_hook_install(void)
{
	prev_process_utility_hook = ProcessUtility_hook;
	ProcessUtility_hook = steep_repl_process_utility;
}

static void
steep_repl_process_utility(PlannedStmt *pstmt, const char *queryString,
						   bool readOnlyTree, ProcessUtilityContext context,
						   ParamListInfo params, QueryEnvironment *queryEnv,
						   DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *parsetree = pstmt->utilityStmt;
	volatile Oid dropping = InvalidOid;

	steep_repl_snapshot_import_guard(parsetree);
	if (IsA(parsetree, DropdbStmt))
		dropping = steep_repl_served_begin_drop((DropdbStmt *) parsetree);

	PG_TRY();
	{
		if (prev_process_utility_hook)
			prev_process_utility_hook(pstmt, queryString, readOnlyTree, context,
									  params, queryEnv, dest, qc);
		else
			standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
									params, queryEnv, dest, qc);
	}
	PG_CATCH();
	{
		if (OidIsValid(dropping))
			steep_repl_served_end_drop(dropping, false);
		PG_RE_THROW();
	}
	PG_END_TRY();
	if (OidIsValid(dropping))
		steep_repl_served_end_drop(dropping, true);
}
