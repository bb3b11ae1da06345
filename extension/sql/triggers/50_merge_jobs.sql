CREATE TRIGGER merge_job_recorded
    AFTER INSERT ON steep_repl.work_queue
    FOR EACH ROW
    WHEN (NEW.kind = 'merge')
    EXECUTE FUNCTION steep_repl._merge_job_recorded();

-- Heartbeats update running jobs every second: only real changes are copied.
CREATE TRIGGER merge_job_synced
    AFTER UPDATE ON steep_repl.work_queue
    FOR EACH ROW
    WHEN (NEW.kind = 'merge'
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.started_at IS DISTINCT FROM NEW.started_at
               OR OLD.finished_at IS DISTINCT FROM NEW.finished_at
               OR OLD.error_message IS DISTINCT FROM NEW.error_message))
    EXECUTE FUNCTION steep_repl._merge_job_synced();
