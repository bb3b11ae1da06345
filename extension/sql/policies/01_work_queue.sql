/*
 * Row-level security on steep_repl.work_queue: a role sees its own jobs and
 * those of the roles it is a member of; members of pg_monitor see every job.
 * Superusers and the table owner (the worker) bypass RLS.  Jobs are bound to
 * their submitter's OID (_acts_for), so a dropped role's jobs belong to
 * nobody, not to a role created later under the same name.  There is no
 * UPDATE or DELETE policy: only the extension owner writes job rows.
 */
ALTER TABLE steep_repl.work_queue ENABLE ROW LEVEL SECURITY;

CREATE POLICY work_queue_select ON steep_repl.work_queue
    FOR SELECT TO PUBLIC
    USING (steep_repl._acts_for(submitted_by)
           OR pg_catalog.pg_has_role('pg_monitor', 'MEMBER'));

CREATE POLICY work_queue_insert ON steep_repl.work_queue
    FOR INSERT TO PUBLIC
    WITH CHECK (submitted_by = steep_repl._current_role());

COMMENT ON POLICY work_queue_select ON steep_repl.work_queue IS
    'A role sees its own jobs and those of roles it is a member of; pg_monitor members see all';
COMMENT ON POLICY work_queue_insert ON steep_repl.work_queue IS
    'A job is submitted as oneself';
