/*
 * Row-level security on the kept overlap analyses: each role sees, adds to
 * and removes only its own (and those of roles it is a member of).
 */
ALTER TABLE steep_repl.overlap_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE steep_repl.overlap_keys ENABLE ROW LEVEL SECURITY;

CREATE POLICY overlap_runs_own ON steep_repl.overlap_runs
    USING (steep_repl._acts_for(created_by))
    WITH CHECK (created_by = steep_repl._current_role());

CREATE POLICY overlap_keys_own ON steep_repl.overlap_keys
    USING (EXISTS (SELECT FROM steep_repl.overlap_runs r WHERE r.run_id = overlap_keys.run_id))
    WITH CHECK (EXISTS (SELECT FROM steep_repl.overlap_runs r
                        WHERE r.run_id = overlap_keys.run_id AND r.created_by = steep_repl._current_role()));

COMMENT ON POLICY overlap_runs_own ON steep_repl.overlap_runs IS
    'A role sees and keeps its own overlap analyses';
COMMENT ON POLICY overlap_keys_own ON steep_repl.overlap_keys IS
    'The keys of the analyses a role may see';
