/*
 * Row-level security on the merge history, as on snapshots: a role sees its
 * own runs (and their decisions, which hold row images) and those of the
 * roles it is a member of; pg_monitor members see the runs but not the row
 * images.  No write policies: only the extension's functions write.
 */
ALTER TABLE steep_repl.merge_audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE steep_repl.merge_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE steep_repl._merge_tokens ENABLE ROW LEVEL SECURITY;

CREATE POLICY merge_audit_log_select ON steep_repl.merge_audit_log
    FOR SELECT TO PUBLIC
    USING (steep_repl._acts_for(submitted_by)
           OR pg_catalog.pg_has_role('pg_monitor', 'MEMBER'));

CREATE POLICY merge_decisions_select ON steep_repl.merge_decisions
    FOR SELECT TO PUBLIC
    USING (steep_repl._acts_for(decided_by));

COMMENT ON POLICY merge_audit_log_select ON steep_repl.merge_audit_log IS
    'A role sees its own merge runs and those of roles it is a member of; pg_monitor members see all';
COMMENT ON POLICY merge_decisions_select ON steep_repl.merge_decisions IS
    'A role sees the decisions (with row images) of its own merge runs and those of roles it is a member of';
