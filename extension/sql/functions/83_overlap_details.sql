CREATE FUNCTION steep_repl.overlap_details(
    p_run_id bigint,
    p_table text DEFAULT NULL,
    p_category text DEFAULT NULL,
    p_limit integer DEFAULT 100
)
RETURNS TABLE (table_name text, category text, key_text text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    /*
     * The keys of a kept overlap analysis whose rows are not equal on both
     * nodes, at most p_limit of them, by table, category and key.  Row-level
     * security shows a role only its own analyses.
     */
    IF NOT EXISTS (SELECT FROM steep_repl.overlap_runs r WHERE r.run_id = p_run_id) THEN
        RAISE EXCEPTION 'overlap analysis % does not exist', coalesce(p_run_id::text, 'NULL')
            USING ERRCODE = 'undefined_object',
                  HINT = 'Keep an analysis with analyze_overlap(..., ''{"keep": true}''); steep_repl.overlap_runs lists yours.';
    END IF;
    IF p_category IS NOT NULL AND p_category NOT IN ('conflict', 'local_only', 'remote_only') THEN
        RAISE EXCEPTION 'category "%" is invalid', p_category
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A category is conflict, local_only or remote_only (NULL: all three).';
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100000 THEN
        RAISE EXCEPTION 'limit % is out of range', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The limit is between 1 and 100000.';
    END IF;
    RETURN QUERY
        SELECT k.table_name, k.category, k.key_text
        FROM steep_repl.overlap_keys k
        WHERE k.run_id = p_run_id
          AND (p_table IS NULL OR k.table_name = p_table)
          AND (p_category IS NULL OR k.category = p_category)
        ORDER BY k.table_name, k.category, k.key_text COLLATE "C"
        LIMIT p_limit;
END;
$$;

COMMENT ON FUNCTION steep_repl.overlap_details(bigint, text, text, integer) IS
    'The keys of a kept overlap analysis whose rows conflict or exist on one node only, bounded by a limit';
