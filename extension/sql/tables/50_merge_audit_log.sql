-- steep_repl.merge_audit_log and merge_decisions: every merge run, and every decision it took.
CREATE TABLE steep_repl.merge_audit_log (
    merge_id text PRIMARY KEY
        CONSTRAINT merge_audit_log_merge_id_check
        CHECK (merge_id ~ '^merge_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$'),
    -- null once the job has been pruned from the queue; the history stays
    job_id bigint UNIQUE REFERENCES steep_repl.work_queue (id) ON DELETE SET NULL,
    -- the peer as messages name it (a node, a foreign server, a connection string without password)
    peer text NOT NULL,
    tables text[] NOT NULL,
    strategy text NOT NULL,
    dry_run boolean NOT NULL,
    options jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'pending'
        CONSTRAINT merge_audit_log_status_check
        CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
    phase text,
    tables_total integer,
    tables_completed integer NOT NULL DEFAULT 0,
    -- what the analyses under the merge's locks found, summed over the tables merged so far
    matches bigint NOT NULL DEFAULT 0,
    local_only bigint NOT NULL DEFAULT 0,
    remote_only bigint NOT NULL DEFAULT 0,
    conflicts bigint NOT NULL DEFAULT 0,
    -- what was done (or, in a dry run, would be)
    rows_to_peer bigint NOT NULL DEFAULT 0,
    rows_to_local bigint NOT NULL DEFAULT 0,
    conflicts_resolved bigint NOT NULL DEFAULT 0,
    conflicts_left bigint NOT NULL DEFAULT 0,
    submitted_by regrole NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    error_message text
);

CREATE INDEX merge_audit_log_created_at_idx ON steep_repl.merge_audit_log (created_at);

COMMENT ON TABLE steep_repl.merge_audit_log IS
    'Merge runs (start_merge): peer, tables, strategy, status and counts, kept up to date from their work_queue jobs';

CREATE TABLE steep_repl.merge_decisions (
    merge_id text NOT NULL REFERENCES steep_repl.merge_audit_log ON DELETE CASCADE,
    table_name text NOT NULL,
    -- the key as analyze_overlap compares it: quote_nullable(column::text) of each key column, by ','
    key_text text NOT NULL,
    category text NOT NULL
        CONSTRAINT merge_decisions_category_check
        CHECK (category IN ('local_only', 'remote_only', 'conflict')),
    -- to_peer: the local row was written to the peer; to_local: the peer's row was written here;
    -- left: a conflict the manual strategy leaves as it is
    resolution text NOT NULL
        CONSTRAINT merge_decisions_resolution_check
        CHECK (resolution IN ('to_peer', 'to_local', 'left')),
    strategy text NOT NULL,
    -- why a last-modified conflict went the way it did (the two timestamps, or the tie rule)
    reason text,
    local_row jsonb,
    remote_row jsonb,
    dry_run boolean NOT NULL,
    decided_by regrole NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merge_id, table_name, key_text)
);

COMMENT ON TABLE steep_repl.merge_decisions IS
    'One row per decision of a merge run: the key, its category, what was done, and the row images';

-- The sha-256 of each merge job's secret: only that job session records decisions (_merge_record).
CREATE TABLE steep_repl._merge_tokens (
    merge_id text PRIMARY KEY REFERENCES steep_repl.merge_audit_log ON DELETE CASCADE,
    token_sha256 bytea NOT NULL
);

COMMENT ON TABLE steep_repl._merge_tokens IS
    'Internal: the sha-256 of each merge job''s secret, which _merge_record checks; readable by no role';

/*
 * Runs and decisions are written only by the extension's own functions
 * (the work_queue triggers and _merge_record, which checks the run's
 * secret), never by roles: row-level security with read policies only.
 */
GRANT SELECT ON steep_repl.merge_audit_log TO PUBLIC;
GRANT SELECT ON steep_repl.merge_decisions TO PUBLIC;
REVOKE ALL ON steep_repl._merge_tokens FROM PUBLIC;
