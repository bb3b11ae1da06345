/*
 * Row-level security on steep_repl.snapshots, as on work_queue: a role sees
 * its own runs and those of the roles it is a member of; members of
 * pg_monitor see all.  There are no write policies: rows are written by the
 * extension owner's triggers only.
 */
ALTER TABLE steep_repl.snapshots ENABLE ROW LEVEL SECURITY;

CREATE POLICY snapshots_select ON steep_repl.snapshots
    FOR SELECT TO PUBLIC
    USING (steep_repl._acts_for(submitted_by)
           OR pg_catalog.pg_has_role('pg_monitor', 'MEMBER'));

COMMENT ON POLICY snapshots_select ON steep_repl.snapshots IS
    'A role sees its own snapshot runs and those of roles it is a member of; pg_monitor members see all';
