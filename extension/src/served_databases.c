/*-------------------------------------------------------------------------
 *
 * served_databases.c
 *	  Which databases the Java worker serves: the scope set by
 *	  steep_repl.databases (and its deprecated one-database alias
 *	  steep_repl.database), the shared-memory list of databases the worker
 *	  serves with each one's state, the SQL functions around it, and what the
 *	  ProcessUtility hook (utility_hook.c) does so that DROP DATABASE of a
 *	  served database goes through without waiting for the worker's sessions
 *	  to time out.
 *
 * CREATE EXTENSION announces its database when it commits (_wake_supervisor
 * calls steep_repl_served_announce); the Java worker finds the databases
 * created before it started by connecting to each one, and publishes every
 * database's state (connecting, serving, error) with _serve_database.  The
 * list lives in the shared area (shmem.h) under its LWLock, held only to
 * copy entries in or out.
 *
 * DROP DATABASE refuses while other sessions are connected to the database:
 * it waits up to 5 s for them to leave, then fails.  The hook marks the
 * entry "dropping", wakes the database's snapshot holders to end, and waits
 * up to STEEP_REPL_DROP_WAIT_MS for the worker (which looks every second) to
 * close its sessions there and give the entry up.  If the drop fails, the
 * database is announced again and served as before.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/latch.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"
#include "utils/wait_event.h"

#include "served_databases.h"
#include "shmem.h"
#include "steep_repl.h"

#define SERVED_DATABASES_COLUMNS	6
#define DROP_WAIT_POLL_MS			10

static ServedDatabase *find_entry(SteepReplShared *shared, Oid database_id);
static ServedDatabase *find_or_claim_entry(SteepReplShared *shared, Oid database_id);
static void set_entry(ServedDatabase *entry, ServedDatabaseState state,
					  const char *detail);
static const char *state_name(ServedDatabaseState state);
static bool parse_state(const char *name, ServedDatabaseState *state);
static bool begin_drop(Oid database_id);
static void wait_for_worker_to_leave(Oid database_id);

PG_FUNCTION_INFO_V1(steep_repl_served_databases);
PG_FUNCTION_INFO_V1(steep_repl_serve_database);
PG_FUNCTION_INFO_V1(steep_repl_serves_database);

/* ------------------------------------------------------------------------
 * The scope
 * ------------------------------------------------------------------------
 */

/* GUC check hook: '*' alone, or a list of names as search_path takes them. */
bool
steep_repl_check_databases(char **newval, void **extra, GucSource source)
{
	char	   *raw = pstrdup(*newval);
	List	   *names;
	bool		ok;

	if (strcmp(*newval, STEEP_REPL_ALL_DATABASES) == 0)
		return true;
	ok = SplitIdentifierString(raw, ',', &names) && names != NIL;
	list_free(names);
	pfree(raw);
	if (!ok)
	{
		GUC_check_errdetail("steep_repl.databases is \"*\" or a comma-separated list of database names.");
		return false;
	}
	return true;
}

/*
 * Whether the worker serves database datname under the current settings:
 * steep_repl.databases, or, while that is '*', the deprecated
 * steep_repl.database when it is set.
 */
bool
steep_repl_database_in_scope(const char *datname)
{
	char	   *raw;
	List	   *names;
	ListCell   *lc;
	bool		found = false;

	if (steep_repl_databases == NULL ||
		strcmp(steep_repl_databases, STEEP_REPL_ALL_DATABASES) == 0)
	{
		if (steep_repl_database != NULL && steep_repl_database[0] != '\0')
			return strcmp(datname, steep_repl_database) == 0;
		return true;
	}

	raw = pstrdup(steep_repl_databases);
	if (!SplitIdentifierString(raw, ',', &names))
		return false;			/* the check hook keeps this from happening */
	foreach(lc, names)
	{
		if (strcmp((char *) lfirst(lc), datname) == 0)
			found = true;
	}
	list_free(names);
	pfree(raw);
	return found;
}

/* The setting in effect, as worker_status() and the hints show it. */
const char *
steep_repl_served_scope(void)
{
	if ((steep_repl_databases == NULL ||
		 strcmp(steep_repl_databases, STEEP_REPL_ALL_DATABASES) == 0) &&
		steep_repl_database != NULL && steep_repl_database[0] != '\0')
		return steep_repl_database;
	return steep_repl_databases != NULL ? steep_repl_databases : STEEP_REPL_ALL_DATABASES;
}

/* serves_database(p_database text): the scope test, for submit_job. */
Datum
steep_repl_serves_database(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(steep_repl_database_in_scope(text_to_cstring(PG_GETARG_TEXT_PP(0))));
}

/* ------------------------------------------------------------------------
 * The list (caller holds the area's lock)
 * ------------------------------------------------------------------------
 */

static ServedDatabase *
find_entry(SteepReplShared *shared, Oid database_id)
{
	int			i;

	for (i = 0; i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
	{
		if (shared->databases[i].state != SERVED_FREE &&
			shared->databases[i].database_id == database_id)
			return &shared->databases[i];
	}
	return NULL;
}

/* NULL when the list is full. */
static ServedDatabase *
find_or_claim_entry(SteepReplShared *shared, Oid database_id)
{
	ServedDatabase *entry = find_entry(shared, database_id);
	int			i;

	for (i = 0; entry == NULL && i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
	{
		if (shared->databases[i].state == SERVED_FREE)
		{
			entry = &shared->databases[i];
			memset(entry, 0, sizeof(*entry));
			entry->database_id = database_id;
		}
	}
	return entry;
}

static void
set_entry(ServedDatabase *entry, ServedDatabaseState state, const char *detail)
{
	if (entry->state != state)
		entry->since = GetCurrentTimestamp();
	entry->state = state;
	steep_repl_copy_clipped(entry->detail, detail, SERVED_DATABASE_DETAIL_LEN);
	if (state == SERVED_FREE)
		memset(entry, 0, sizeof(*entry));
}

static const char *
state_name(ServedDatabaseState state)
{
	switch (state)
	{
		case SERVED_FREE:
			return "gone";
		case SERVED_ANNOUNCED:
			return "announced";
		case SERVED_CONNECTING:
			return "connecting";
		case SERVED_SERVING:
			return "serving";
		case SERVED_ERROR:
			return "error";
	}
	return "unknown";
}

static bool
parse_state(const char *name, ServedDatabaseState *state)
{
	ServedDatabaseState s;

	for (s = SERVED_FREE; s <= SERVED_ERROR; s++)
	{
		if (strcmp(name, state_name(s)) == 0)
		{
			*state = s;
			return true;
		}
	}
	return false;
}

/*
 * Called at the commit of CREATE EXTENSION in a database in scope: the
 * worker serves it from its next look (within a second), or the supervisor
 * starts one.  No lookups here: this runs after the commit.
 */
void
steep_repl_served_announce(Oid database_id)
{
	SteepReplShared *shared = steep_repl_shared;
	ServedDatabase *entry;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	entry = find_or_claim_entry(shared, database_id);
	if (entry != NULL && entry->state != SERVED_SERVING)
		set_entry(entry, SERVED_ANNOUNCED, "");
	LWLockRelease(shared->lock);
	if (entry == NULL)
		ereport(WARNING,
				(errmsg("steep_repl serves at most %d databases; this one is not served",
						STEEP_REPL_MAX_SERVED_DATABASES)));
}

/*
 * For the supervisor when its worker found nothing to serve: forgets every
 * entry but those announced since, and says whether any of them is left.
 */
bool
steep_repl_served_keep_announced(void)
{
	SteepReplShared *shared = steep_repl_shared;
	bool		announced = false;
	int			i;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
	{
		ServedDatabase *entry = &shared->databases[i];

		if (entry->state == SERVED_ANNOUNCED)
			announced = true;
		else if (entry->state != SERVED_FREE)
			set_entry(entry, SERVED_FREE, "");
	}
	LWLockRelease(shared->lock);
	return announced;
}

/* Whether any database waits to be served: the supervisor starts a worker. */
bool
steep_repl_served_any(void)
{
	SteepReplShared *shared = steep_repl_shared;
	bool		any = false;
	int			i;

	LWLockAcquire(shared->lock, LW_SHARED);
	for (i = 0; i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
		any |= shared->databases[i].state != SERVED_FREE;
	LWLockRelease(shared->lock);
	return any;
}

/* ------------------------------------------------------------------------
 * SQL functions
 * ------------------------------------------------------------------------
 */

/*
 * served_databases(): one row per database in the list, with its name
 * (NULL once it is dropped), state and detail.  Database names are public
 * (pg_database), so everybody may call it.
 */
Datum
steep_repl_served_databases(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ServedDatabase copy[STEEP_REPL_MAX_SERVED_DATABASES];
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	LWLockAcquire(shared->lock, LW_SHARED);
	memcpy(copy, shared->databases, sizeof(copy));
	LWLockRelease(shared->lock);

	for (i = 0; i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
	{
		Datum		values[SERVED_DATABASES_COLUMNS];
		bool		nulls[SERVED_DATABASES_COLUMNS];
		char	   *name;
		int			col = 0;

		if (copy[i].state == SERVED_FREE)
			continue;
		memset(nulls, 0, sizeof(nulls));
		name = get_database_name(copy[i].database_id);
		nulls[col] = (name == NULL);
		values[col++] = name == NULL ? (Datum) 0 : CStringGetTextDatum(name);
		values[col++] = ObjectIdGetDatum(copy[i].database_id);
		values[col++] = CStringGetTextDatum(state_name(copy[i].state));
		nulls[col] = (copy[i].detail[0] == '\0');
		values[col] = nulls[col] ? (Datum) 0 : CStringGetTextDatum(copy[i].detail);
		col++;
		values[col++] = TimestampTzGetDatum(copy[i].since);
		values[col++] = BoolGetDatum(copy[i].dropping);
		Assert(col == SERVED_DATABASES_COLUMNS);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * For worker_status(): "<name> (<state>)" for every database in the list,
 * comma-separated, in list order; NULL when it is empty.
 */
char *
steep_repl_served_summary(void)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	ServedDatabase copy[STEEP_REPL_MAX_SERVED_DATABASES];
	StringInfoData buf;
	int			i;

	LWLockAcquire(shared->lock, LW_SHARED);
	memcpy(copy, shared->databases, sizeof(copy));
	LWLockRelease(shared->lock);

	initStringInfo(&buf);
	for (i = 0; i < STEEP_REPL_MAX_SERVED_DATABASES; i++)
	{
		char	   *name;

		if (copy[i].state == SERVED_FREE)
			continue;
		name = get_database_name(copy[i].database_id);
		if (name == NULL)
			continue;
		appendStringInfo(&buf, "%s%s (%s)", buf.len > 0 ? ", " : "", name,
						 state_name(copy[i].state));
	}
	return buf.len > 0 ? buf.data : NULL;
}

/*
 * _serve_database(p_database oid, p_state text, p_detail text): the Java
 * worker publishes a database's state; 'gone' removes it from the list.
 * EXECUTE is revoked from PUBLIC.
 */
Datum
steep_repl_serve_database(PG_FUNCTION_ARGS)
{
	SteepReplShared *shared = steep_repl_shmem_require();
	Oid			database_id;
	char	   *state_text;
	const char *detail;
	ServedDatabaseState state;
	ServedDatabase *entry;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("database and state must not be NULL")));
	database_id = PG_GETARG_OID(0);
	state_text = text_to_cstring(PG_GETARG_TEXT_PP(1));
	detail = PG_ARGISNULL(2) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (!parse_state(state_text, &state) || state == SERVED_ANNOUNCED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("served database state \"%s\" is invalid", state_text),
				 errhint("The state is connecting, serving, error or gone.")));

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	entry = state == SERVED_FREE ? find_entry(shared, database_id)
		: find_or_claim_entry(shared, database_id);
	if (entry != NULL)
		set_entry(entry, state, detail);
	LWLockRelease(shared->lock);

	if (entry == NULL && state != SERVED_FREE)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("steep_repl serves at most %d databases",
						STEEP_REPL_MAX_SERVED_DATABASES),
				 errhint("Narrow steep_repl.databases to the databases that run jobs.")));
	PG_RETURN_VOID();
}

/* ------------------------------------------------------------------------
 * DROP DATABASE
 * ------------------------------------------------------------------------
 */

/*
 * For the ProcessUtility hook (utility_hook.c), before DROP DATABASE runs:
 * when the worker serves the database and the current user may drop it,
 * marks it, waits for the worker to let go, and returns its OID, which the
 * hook passes to steep_repl_served_end_drop after the drop; InvalidOid
 * otherwise.  Anybody else fails in DROP DATABASE itself.
 */
Oid
steep_repl_served_begin_drop(DropdbStmt *stmt)
{
	Oid			database_id;

	/* DROP DATABASE refuses to run there: nothing to let go of */
	if (steep_repl_shared == NULL || IsTransactionBlock())
		return InvalidOid;
	database_id = get_database_oid(stmt->dbname, true);
	if (!OidIsValid(database_id) ||
		!STEEP_REPL_DATABASE_OWNERCHECK(database_id, GetUserId()) ||
		!begin_drop(database_id))
		return InvalidOid;
	wait_for_worker_to_leave(database_id);
	return database_id;
}

/*
 * Marks the database's entry, and asks the snapshot holders connected to it
 * to end.  False when the worker does not serve it.
 */
static bool
begin_drop(Oid database_id)
{
	SteepReplShared *shared = steep_repl_shared;
	ServedDatabase *entry;
	Latch	   *latches[STEEP_REPL_MAX_JOB_SLOTS];
	int			nlatches = 0;
	int			i;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	entry = find_entry(shared, database_id);
	if (entry != NULL)
		entry->dropping = true;
	for (i = 0; i < shared->num_slots; i++)
	{
		HolderSlot *slot = &shared->holders[i];

		if (slot->state != HOLDER_FREE && slot->database_id == database_id)
		{
			slot->release_requested = true;
			if (slot->latch != NULL)
				latches[nlatches++] = slot->latch;
		}
	}
	LWLockRelease(shared->lock);

	for (i = 0; i < nlatches; i++)
		SetLatch(latches[i]);
	return entry != NULL;
}

/* Until the worker gave the entry up (it is gone or in error), or the time is up. */
static void
wait_for_worker_to_leave(Oid database_id)
{
	SteepReplShared *shared = steep_repl_shared;
	int			waited_ms = 0;

	for (;;)
	{
		ServedDatabase *entry;
		bool		connected;

		LWLockAcquire(shared->lock, LW_SHARED);
		entry = find_entry(shared, database_id);
		connected = entry != NULL && shared->supervisor.worker_pid != 0 &&
			(entry->state == SERVED_CONNECTING || entry->state == SERVED_SERVING);
		LWLockRelease(shared->lock);

		if (!connected || waited_ms >= STEEP_REPL_DROP_WAIT_MS)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 DROP_WAIT_POLL_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		waited_ms += DROP_WAIT_POLL_MS;
	}
}

/*
 * After the drop: its entry goes; after a failed drop the database is
 * announced again, so that the worker comes back.
 */
void
steep_repl_served_end_drop(Oid database_id, bool dropped)
{
	SteepReplShared *shared = steep_repl_shared;
	ServedDatabase *entry;

	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	entry = dropped ? find_entry(shared, database_id)
		: find_or_claim_entry(shared, database_id);
	if (entry != NULL)
	{
		entry->dropping = false;
		if (dropped)
			set_entry(entry, SERVED_FREE, "");
		else if (entry->state != SERVED_SERVING)
			set_entry(entry, SERVED_ANNOUNCED, "");
	}
	LWLockRelease(shared->lock);
	if (!dropped)
		steep_repl_served_wake_supervisor();
}

/* Sets the supervisor's latch, if one runs. */
void
steep_repl_served_wake_supervisor(void)
{
	Latch	   *latch;

	LWLockAcquire(steep_repl_shared->lock, LW_SHARED);
	latch = steep_repl_shared->supervisor.supervisor_latch;
	LWLockRelease(steep_repl_shared->lock);
	/* a stale latch pointer at worst wakes some other process once */
	if (latch != NULL)
		SetLatch(latch);
}
