CREATE TRIGGER work_queue_guard
    BEFORE INSERT OR UPDATE ON steep_repl.work_queue
    FOR EACH ROW EXECUTE FUNCTION steep_repl._work_queue_guard();
