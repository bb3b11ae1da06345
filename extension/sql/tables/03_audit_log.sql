-- steep_repl.audit_log: who did what, appended by the steep_repl functions.
CREATE TABLE steep_repl.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor name NOT NULL,
    action text NOT NULL,
    target text,
    details jsonb NOT NULL DEFAULT '{}'
);

COMMENT ON TABLE steep_repl.audit_log IS
    'Append-only record of node registrations, job cancellations and prunes';

-- Written by the extension's own functions only (_audit); reading needs a grant.

SELECT pg_catalog.pg_extension_config_dump('steep_repl.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('steep_repl.audit_log_id_seq', '');
