-- steep_repl.work_queue: background jobs, run by the Java worker.
CREATE TABLE steep_repl.work_queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL
        CONSTRAINT work_queue_kind_check
        CHECK (kind ~ '^[a-z][a-z0-9_.-]{0,62}$'),
    params jsonb NOT NULL DEFAULT '{}'
        CONSTRAINT work_queue_params_check
        CHECK (jsonb_typeof(params) = 'object'),
    status text NOT NULL DEFAULT 'pending'
        CONSTRAINT work_queue_status_check
        CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
    -- The role by OID: a role created later under a dropped role's name gets none of its jobs.
    submitted_by regrole NOT NULL,
    attempts integer NOT NULL DEFAULT 0
        CONSTRAINT work_queue_attempts_check CHECK (attempts >= 0),
    max_attempts integer NOT NULL DEFAULT 1
        CONSTRAINT work_queue_max_attempts_check CHECK (max_attempts BETWEEN 1 AND 100),
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    run_after timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    heartbeat_at timestamptz,
    worker_pid integer,
    error_message text,
    result jsonb
);

-- _claim_job: the oldest pending job
CREATE INDEX work_queue_pending_idx ON steep_repl.work_queue (id)
    WHERE status = 'pending';
-- _fail_orphaned_jobs, _prune_jobs, health()
CREATE INDEX work_queue_status_idx ON steep_repl.work_queue (status);

COMMENT ON TABLE steep_repl.work_queue IS
    'Background jobs: submitted with submit_job, run by the steep_repl Java worker as the submitting role';

/*
 * Anyone may queue a job: it runs with the submitter's own privileges.
 * INSERT is limited to the columns a submitter chooses, so neither the id
 * nor the run state can be forged; submitted_by is accepted but replaced by
 * the trigger.  The row-level policies limit every role to its own jobs.
 * Nobody but the extension owner may UPDATE or DELETE a job row: a role
 * that could would also be able to lock one and stall the worker.  Cancel
 * requests go through cancel_job.
 */
GRANT SELECT, INSERT (kind, params, max_attempts, run_after, submitted_by)
    ON steep_repl.work_queue TO PUBLIC;

-- Not dumped by pg_dump: jobs are this server's running state (paths on its disk, pids of
-- its worker), and restoring them elsewhere would re-run them or fire the triggers that
-- keep steep_repl.snapshots in step.  The node registry and the audit log are dumped.
