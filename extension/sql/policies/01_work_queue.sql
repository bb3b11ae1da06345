/*
 * Row-level security on steep_repl.work_queue: a role sees and cancels its
 * own jobs and those of the roles it is a member of; members of pg_monitor
 * see every job.  Superusers and the table owner (the worker) bypass RLS.
 *
 * The submitter is looked up with to_regrole so that the jobs of a dropped
 * role make the expression false instead of raising an error for everyone.
 */
ALTER TABLE steep_repl.work_queue ENABLE ROW LEVEL SECURITY;

CREATE POLICY work_queue_select ON steep_repl.work_queue
    FOR SELECT TO PUBLIC
    USING (submitted_by = CURRENT_USER
           OR pg_catalog.pg_has_role(pg_catalog.to_regrole(pg_catalog.quote_ident(submitted_by)), 'MEMBER')
           OR pg_catalog.pg_has_role('pg_monitor', 'MEMBER'));

CREATE POLICY work_queue_insert ON steep_repl.work_queue
    FOR INSERT TO PUBLIC
    WITH CHECK (submitted_by = CURRENT_USER);

CREATE POLICY work_queue_update ON steep_repl.work_queue
    FOR UPDATE TO PUBLIC
    USING (submitted_by = CURRENT_USER
           OR pg_catalog.pg_has_role(pg_catalog.to_regrole(pg_catalog.quote_ident(submitted_by)), 'MEMBER'))
    WITH CHECK (submitted_by = CURRENT_USER
           OR pg_catalog.pg_has_role(pg_catalog.to_regrole(pg_catalog.quote_ident(submitted_by)), 'MEMBER'));

COMMENT ON POLICY work_queue_select ON steep_repl.work_queue IS
    'A role sees its own jobs and those of roles it is a member of; pg_monitor members see all';
COMMENT ON POLICY work_queue_insert ON steep_repl.work_queue IS
    'A job is submitted as oneself';
COMMENT ON POLICY work_queue_update ON steep_repl.work_queue IS
    'A role may cancel its own jobs and those of roles it is a member of';
