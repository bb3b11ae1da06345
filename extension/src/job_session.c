/*-------------------------------------------------------------------------
 *
 * job_session.c
 *	  _enter_job_role: turns a job session of the Java worker into a session
 *	  that runs as the job's submitter, for good, inside a security-restricted
 *	  operation.
 *
 * Why: the worker's job sessions authenticate as the bootstrap superuser
 * (peer authentication, no password anywhere).  After a plain SET ROLE,
 * SQL owned by the submitter that the job evaluates (a trigger, an RLS
 * policy, a CHECK constraint, a domain, a generated column, an index
 * expression) can run RESET ROLE and act as that superuser
 * (docs/security.md).  PostgreSQL runs a table owner's code in the same
 * position, during CREATE INDEX, REFRESH MATERIALIZED VIEW, VACUUM and
 * autovacuum, as a security-restricted operation: SetUserIdAndSecContext(
 * owner, SECURITY_RESTRICTED_OPERATION).  Inside one, the "role" and
 * "session_authorization" settings cannot change (GUC_NOT_WHILE_SEC_REST,
 * guc.c), so SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION, set_config()
 * of either and a function's SET role clause all fail.
 *
 * This function does the same for the rest of the session.  How it lasts:
 * the current user and the security context are not transactional
 * settings.  StartTransaction saves them (prevUser / prevSecContext),
 * CommitTransaction leaves them alone and AbortTransaction restores the
 * saved values.  Set in a transaction that commits, they are therefore what
 * every later transaction saves and what every later abort restores: the
 * session stays the submitter, restricted, after errors too.  Set in a
 * transaction that aborts, they are undone with it.  That is why the call
 * is refused inside a transaction block (BEGIN, a multi-statement query
 * string, a savepoint or an exception block): its effect would hang on the
 * block's outcome, and a later ROLLBACK would hand the session back to the
 * superuser without the caller noticing.  Alone, the call's own statement
 * commits right after it returns, or fails and leaves the session as it was.
 *
 * PostgreSQL asserts (xact.c, StartTransaction) that no security-restricted
 * operation outlives a transaction, an invariant this function breaks on
 * purpose; a server built with assertions would stop at the next
 * transaction, so there the call is refused.  Production builds check
 * nothing of the kind.
 *
 * What job code cannot do in such a session (PostgreSQL 15; each fails with
 * SQLSTATE 42501):
 *	- change role: SET [LOCAL] ROLE, RESET ROLE, SET SESSION AUTHORIZATION,
 *	  set_config('role' | 'session_authorization', ...), calling a function
 *	  declared with SET role;
 *	- create temporary tables, views or sequences;
 *	- LISTEN, UNLISTEN, DISCARD, SQL-level PREPARE and DEALLOCATE (the
 *	  protocol's named statements, as JDBC uses them, are fine), CLOSE,
 *	  DECLARE ... WITH HOLD;
 *	- queue a deferred trigger: a row change that fires a DEFERRABLE
 *	  INITIALLY DEFERRED constraint (a deferred foreign key, say) or any
 *	  deferrable one after SET CONSTRAINTS ... DEFERRED fails at the end of
 *	  its statement.
 * PREPARE TRANSACTION, COPY, CREATE INDEX [CONCURRENTLY], VACUUM and
 * ANALYZE work.
 *
 * This file keeps no state of its own and touches no shared memory, so it
 * takes no lock.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(steep_repl_enter_job_role);

/*
 * _enter_job_role(p_role oid): the rest of the session runs as p_role
 * inside a security-restricted operation.
 */
Datum
steep_repl_enter_job_role(PG_FUNCTION_ARGS)
{
	Oid			role_id = PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0);
	Oid			current_user;
	int			sec_context;

	GetUserIdAndSecContext(&current_user, &sec_context);

	/* checked first: inside one, the caller is not who the session was */
	if (sec_context != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot enter a job role within a security-restricted operation or a security-definer function"),
				 errdetail("The session already runs as role \"%s\" with restrictions.",
						   GetUserNameFromId(current_user, true)),
				 errhint("A job session enters its role once; open a new session for another job.")));
	if (!superuser_arg(GetSessionUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to enter a job role"),
				 errdetail("Only a session that logged in as a superuser may enter a job role."),
				 errhint("steep_repl._enter_job_role is called by the worker's job sessions only.")));
	if (current_user != GetSessionUserId())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot enter a job role after SET ROLE"),
				 errhint("Run RESET ROLE first.")));
	if (IsTransactionBlock() || IsSubTransaction())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("cannot enter a job role inside a transaction block"),
				 errdetail("A rollback of the block would return the session to its login role."),
				 errhint("Call steep_repl._enter_job_role alone, in autocommit mode.")));
	if (!OidIsValid(role_id) ||
		!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(role_id)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role with OID %u does not exist", role_id),
				 errhint("Pass the OID of the role that submitted the job.")));
#ifdef USE_ASSERT_CHECKING
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot enter a job role on a server built with assertions"),
			 errdetail("PostgreSQL asserts that no security-restricted operation outlives a transaction; a job session keeps one until it ends."),
			 errhint("Run steep_repl jobs on a server built without --enable-cassert.")));
#endif

	SetUserIdAndSecContext(role_id, SECURITY_RESTRICTED_OPERATION);

	PG_RETURN_VOID();
}
