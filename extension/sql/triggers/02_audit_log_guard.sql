CREATE TRIGGER audit_log_guard
    BEFORE INSERT ON steep_repl.audit_log
    FOR EACH ROW EXECUTE FUNCTION steep_repl._audit_log_guard();
