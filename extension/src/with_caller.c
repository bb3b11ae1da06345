/*-------------------------------------------------------------------------
 *
 * with_caller.c
 *	  steep_repl_with_caller: the body of the public SQL functions that must
 *	  act with the extension owner's rights while knowing who called them.
 *
 * A SECURITY DEFINER function loses its caller: inside it, current_user is
 * the owner, and neither session_user nor the role setting name the role
 * whose privileges the call was made with (a caller may itself run inside
 * somebody else's SECURITY DEFINER function).  GetUserId() in a C function
 * that is not SECURITY DEFINER is exactly that role.  So a public function
 * steep_repl.<name>(args) is declared LANGUAGE C with this symbol; it calls
 * steep_repl._<name>(p_caller regrole, args), a SECURITY DEFINER function
 * whose EXECUTE is revoked from PUBLIC (a direct fmgr call checks no ACL),
 * with the caller's role OID first.  The target checks the caller's rights
 * itself and is the only writer of what it protects (job rows, the audit
 * log).  Only superusers create C functions, so nobody can point another
 * name at this symbol; the target is looked up in the caller function's own
 * schema and must be SECURITY DEFINER.
 *
 * This file owns no shared state and takes no lock; the looked-up target is
 * cached in fn_extra for the rest of the query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

typedef struct CallTarget
{
	FmgrInfo	flinfo;
	int			nargs;			/* of the public function */
	bool		strict;
} CallTarget;

static CallTarget *lookup_target(FunctionCallInfo fcinfo);

PG_FUNCTION_INFO_V1(steep_repl_with_caller);

Datum
steep_repl_with_caller(PG_FUNCTION_ARGS)
{
	CallTarget *target = (CallTarget *) fcinfo->flinfo->fn_extra;
	LOCAL_FCINFO(inner, FUNC_MAX_ARGS);
	Datum		result;
	int			i;

	if (target == NULL)
		target = lookup_target(fcinfo);

	if (target->strict)
	{
		for (i = 0; i < target->nargs; i++)
			if (PG_ARGISNULL(i))
				PG_RETURN_NULL();
	}

	InitFunctionCallInfoData(*inner, &target->flinfo, target->nargs + 1,
							 PG_GET_COLLATION(), NULL, NULL);
	inner->args[0].value = ObjectIdGetDatum(GetUserId());
	inner->args[0].isnull = false;
	for (i = 0; i < target->nargs; i++)
		inner->args[i + 1] = fcinfo->args[i];

	result = FunctionCallInvoke(inner);
	fcinfo->isnull = inner->isnull;
	return result;
}

/* steep_repl._<own name>(regrole, own argument types), SECURITY DEFINER */
static CallTarget *
lookup_target(FunctionCallInfo fcinfo)
{
	Oid			self = fcinfo->flinfo->fn_oid;
	HeapTuple	tuple;
	Form_pg_proc proc;
	Oid			argtypes[FUNC_MAX_ARGS];
	char	   *schema;
	char	   *name;
	int			nargs;
	Oid			target_oid;
	bool		security_definer;
	CallTarget *target;

	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(self));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", self);
	proc = (Form_pg_proc) GETSTRUCT(tuple);
	nargs = proc->pronargs;
	if (nargs + 1 > FUNC_MAX_ARGS)
		elog(ERROR, "function %u has too many arguments", self);
	argtypes[0] = REGROLEOID;
	memcpy(&argtypes[1], proc->proargtypes.values, nargs * sizeof(Oid));
	schema = get_namespace_name(proc->pronamespace);
	name = psprintf("_%s", NameStr(proc->proname));
	ReleaseSysCache(tuple);

	target_oid = LookupFuncName(list_make2(makeString(schema), makeString(name)),
								nargs + 1, argtypes, false);
	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(target_oid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", target_oid);
	security_definer = ((Form_pg_proc) GETSTRUCT(tuple))->prosecdef;
	ReleaseSysCache(tuple);
	if (!security_definer)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("function %s.%s must be SECURITY DEFINER", schema, name),
				 errhint("The steep_repl extension's install script is damaged; reinstall the extension.")));

	target = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallTarget));
	fmgr_info_cxt(target_oid, &target->flinfo, fcinfo->flinfo->fn_mcxt);
	target->nargs = nargs;
	target->strict = target->flinfo.fn_strict;
	fcinfo->flinfo->fn_extra = target;
	return target;
}
