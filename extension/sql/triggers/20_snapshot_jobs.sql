CREATE TRIGGER snapshot_job_recorded
    AFTER INSERT ON steep_repl.work_queue
    FOR EACH ROW
    WHEN (NEW.kind IN ('snapshot.generate', 'snapshot.apply'))
    EXECUTE FUNCTION steep_repl._snapshot_job_recorded();

-- Heartbeats update running jobs every second: only real changes are copied.
CREATE TRIGGER snapshot_job_synced
    AFTER UPDATE ON steep_repl.work_queue
    FOR EACH ROW
    WHEN (NEW.kind IN ('snapshot.generate', 'snapshot.apply')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.started_at IS DISTINCT FROM NEW.started_at
               OR OLD.finished_at IS DISTINCT FROM NEW.finished_at
               OR OLD.error_message IS DISTINCT FROM NEW.error_message
               OR OLD.result IS DISTINCT FROM NEW.result))
    EXECUTE FUNCTION steep_repl._snapshot_job_synced();
