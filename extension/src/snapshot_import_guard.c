/*-------------------------------------------------------------------------
 *
 * snapshot_import_guard.c
 *	  A ProcessUtility hook that lets only the job's roles import a snapshot
 *	  a steep_repl snapshot holder exported.
 *
 * PostgreSQL lets anybody connected to the database import any exported
 * snapshot with SET TRANSACTION SNAPSHOT '<name>', and names are easy to
 * learn: held_snapshots() showed them, and they are predictable
 * ("<proc>-<local xid>-<n>").  A holder keeps its job's snapshot, and the
 * view of the data it gives, for minutes or hours.  This hook refuses the
 * import of a name one of our holder slots exports unless the current user
 * (GetUserId(), not the session user: the worker's job sessions log in as
 * the bootstrap superuser and run as the submitter, and so does pg_dump
 * with PGOPTIONS "-c role=<submitter>") has the privileges of the role the
 * holder runs as, which superusers always have.  SET TRANSACTION SNAPSHOT
 * is the only way to import one: the holder's own import of another
 * snapshot calls ImportSnapshot directly and is not a utility statement.
 *
 * A holder publishes how its exported names start before it exports
 * (shmem.h, export_prefix), so there is no moment in which a name can be
 * imported but is not yet known here.
 *
 * Called from the library's ProcessUtility hook (utility_hook.c), installed
 * only while preloading: holders exist only then.  It reads the
 * holder slots under the area's LWLock (shmem.h), shared, only to copy a
 * role out; the privilege check runs after releasing it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"

#include "shmem.h"
#include "snapshot_import_guard.h"

static const char *imported_snapshot_name(Node *parsetree);
static bool find_holder_role(const char *name, Oid *role_id);
static void check_snapshot_import(const char *name);

/* Refuses (ERROR) a SET TRANSACTION SNAPSHOT the current user may not run. */
void
steep_repl_snapshot_import_guard(Node *parsetree)
{
	const char *name = imported_snapshot_name(parsetree);

	if (name != NULL)
		check_snapshot_import(name);
}

/* The name SET TRANSACTION SNAPSHOT imports; NULL for other statements. */
static const char *
imported_snapshot_name(Node *parsetree)
{
	VariableSetStmt *stmt;
	A_Const    *con;

	if (parsetree == NULL || !IsA(parsetree, VariableSetStmt))
		return NULL;
	stmt = (VariableSetStmt *) parsetree;
	if (stmt->kind != VAR_SET_MULTI || stmt->name == NULL ||
		strcmp(stmt->name, "TRANSACTION SNAPSHOT") != 0 ||
		list_length(stmt->args) != 1 || !IsA(linitial(stmt->args), A_Const))
		return NULL;
	con = linitial_node(A_Const, stmt->args);
	if (con->isnull || !IsA(&con->val, String))
		return NULL;
	return strVal(&con->val);
}

/*
 * Whether one of our holders exports the snapshot name, and as which role.
 * The first holder that matches decides: names are unique while they
 * exist.
 */
static bool
find_holder_role(const char *name, Oid *role_id)
{
	SteepReplShared *shared = steep_repl_shared;
	bool		found = false;
	int			i;

	if (shared == NULL)
		return false;

	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < shared->num_slots && !found; i++)
	{
		HolderSlot *slot = &shared->holders[i];

		if (slot->state == HOLDER_FREE)
			continue;
		if ((slot->export_prefix[0] != '\0' &&
			 strncmp(name, slot->export_prefix, strlen(slot->export_prefix)) == 0) ||
			(slot->snapshot_name[0] != '\0' &&
			 strcmp(name, slot->snapshot_name) == 0))
		{
			*role_id = slot->role_id;
			found = true;
		}
	}
	LWLockRelease(shared->lock);
	return found;
}

static void
check_snapshot_import(const char *name)
{
	Oid			role_id;

	if (!find_holder_role(name, &role_id))
		return;
	if (!has_privs_of_role(GetUserId(), role_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to import snapshot \"%s\"", name),
				 errdetail("The snapshot is held by steep_repl for a job of another role."),
				 errhint("Only a role with the privileges of the job's submitter may import it.")));
}
