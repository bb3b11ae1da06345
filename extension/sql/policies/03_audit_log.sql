/*
 * Row-level security on steep_repl.audit_log: anyone granted SELECT reads
 * every entry, and no role but superusers (the extension's own functions,
 * through _audit) can add, change or remove one, even with table grants:
 * there is no write policy.
 */
ALTER TABLE steep_repl.audit_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY audit_log_read ON steep_repl.audit_log
    FOR SELECT TO PUBLIC
    USING (true);

COMMENT ON POLICY audit_log_read ON steep_repl.audit_log IS
    'Whoever may read the audit log reads all of it; nobody but superusers writes it';
