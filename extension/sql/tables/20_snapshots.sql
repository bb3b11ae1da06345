-- steep_repl.snapshots: every snapshot generate and apply run, as history.
CREATE TABLE steep_repl.snapshots (
    snapshot_id text PRIMARY KEY
        CONSTRAINT snapshots_snapshot_id_check
        CHECK (snapshot_id ~ '^snap_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$'),
    op text NOT NULL
        CONSTRAINT snapshots_op_check CHECK (op IN ('generate', 'apply')),
    -- null once the job has been pruned from the queue; the history stays
    job_id bigint UNIQUE REFERENCES steep_repl.work_queue (id) ON DELETE SET NULL,
    path text NOT NULL,
    compression text,
    parallel integer NOT NULL
        CONSTRAINT snapshots_parallel_check CHECK (parallel BETWEEN 1 AND 64),
    options jsonb NOT NULL DEFAULT '{}'
        CONSTRAINT snapshots_options_check CHECK (jsonb_typeof(options) = 'object'),
    status text NOT NULL DEFAULT 'pending'
        CONSTRAINT snapshots_status_check
        CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
    phase text,
    tables_total integer,
    tables_completed integer,
    rows_total bigint,
    bytes_total bigint,
    lsn pg_lsn,
    slot_name text,
    manifest_sha256 text,
    submitted_by regrole NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    error_message text
);

CREATE INDEX snapshots_created_at_idx ON steep_repl.snapshots (created_at);

COMMENT ON TABLE steep_repl.snapshots IS
    'Snapshot generate and apply runs: started with start_snapshot / start_apply, kept up to date from their work_queue jobs';

-- Written only by the triggers on work_queue (see _snapshot_job_recorded).
GRANT SELECT ON steep_repl.snapshots TO PUBLIC;

-- Not dumped, like work_queue whose jobs its rows mirror.
