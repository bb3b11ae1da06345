CREATE FUNCTION steep_repl._merge_record(
    p_merge_id text,
    p_token text,
    p_table text,
    p_strategy text,
    -- the decisions, one element each: keys, categories, resolutions, reasons and the two
    -- images (NULL where a node has no row)
    p_keys text[],
    p_categories text[],
    p_resolutions text[],
    p_reasons text[],
    p_local_rows json[],
    p_remote_rows json[],
    p_counts jsonb
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /*
     * The only writer of merge_decisions, in the transaction that merges
     * the table, so the decisions commit with the rows they changed.  Runs
     * as the extension owner; the caller proves it is the merge's own job
     * by the run's secret, which the worker keeps in memory and passes as
     * a bind parameter (its sha-256 is in _merge_tokens, readable by no
     * role): code that the merge makes run (a trigger on a merged table)
     * cannot forge decisions.
     */
    IF NOT EXISTS (SELECT FROM steep_repl._merge_tokens t JOIN steep_repl.merge_audit_log m USING (merge_id)
                   WHERE t.merge_id = p_merge_id AND m.status = 'running'
                     AND t.token_sha256 = sha256(convert_to(coalesce(p_token, ''), 'UTF8'))) THEN
        RAISE EXCEPTION 'only merge % itself records its decisions', coalesce(p_merge_id, 'NULL')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO steep_repl.merge_decisions
        (merge_id, table_name, key_text, category, resolution, strategy, reason, local_row, remote_row, dry_run, decided_by)
    SELECT m.merge_id, p_table, d.key_text, d.category, d.resolution, p_strategy, d.reason,
           d.local_row::jsonb, d.remote_row::jsonb, m.dry_run, m.submitted_by
    FROM steep_repl.merge_audit_log m,
         ROWS FROM (unnest(p_keys), unnest(p_categories), unnest(p_resolutions), unnest(p_reasons),
                    unnest(p_local_rows), unnest(p_remote_rows)) AS d(key_text, category, resolution, reason, local_row, remote_row)
    WHERE m.merge_id = p_merge_id;
    UPDATE steep_repl.merge_audit_log m
    SET tables_completed = m.tables_completed + 1,
        matches = m.matches + (p_counts ->> 'matches')::bigint,
        local_only = m.local_only + (p_counts ->> 'local_only')::bigint,
        remote_only = m.remote_only + (p_counts ->> 'remote_only')::bigint,
        conflicts = m.conflicts + (p_counts ->> 'conflicts')::bigint,
        rows_to_peer = m.rows_to_peer + (p_counts ->> 'rows_to_peer')::bigint,
        rows_to_local = m.rows_to_local + (p_counts ->> 'rows_to_local')::bigint,
        conflicts_resolved = m.conflicts_resolved + (p_counts ->> 'conflicts_resolved')::bigint,
        conflicts_left = m.conflicts_left + (p_counts ->> 'conflicts_left')::bigint
    WHERE m.merge_id = p_merge_id;
END;
$$;

COMMENT ON FUNCTION steep_repl._merge_record(text, text, text, text, text[], text[], text[], text[], json[], json[], jsonb) IS
    'Internal (merge jobs): records a merged table''s decisions and counts; only the run''s own job, which holds its secret, may';


CREATE FUNCTION steep_repl._merge_begin(p_merge_id text, p_token_sha256 bytea)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    /* Called by the worker as its superuser when the merge job starts: the run's secret, hashed. */
    INSERT INTO steep_repl._merge_tokens (merge_id, token_sha256) VALUES (p_merge_id, p_token_sha256)
    ON CONFLICT (merge_id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256;
$$;

COMMENT ON FUNCTION steep_repl._merge_begin(text, bytea) IS
    'Internal (Java worker, superuser): stores the sha-256 of a starting merge job''s secret';

REVOKE ALL ON FUNCTION steep_repl._merge_begin(text, bytea) FROM PUBLIC;
