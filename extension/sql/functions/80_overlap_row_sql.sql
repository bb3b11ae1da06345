CREATE FUNCTION steep_repl._overlap_row_sql(
    p_schema text,
    p_table text,
    p_columns text[],
    p_key text[],
    p_buckets bigint
)
RETURNS TABLE (relation text, key_text text, row_hash text, bucket text)
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * The SQL expressions of overlap analysis, one text for both nodes, so
     * that a row is hashed the same way on each (docs/overlap.md):
     *   key_text  the key columns, each as quote_nullable(col::text), joined
     *             by ',': NULL is the word NULL, any value a quoted literal,
     *             so NULL differs from '' and from 'NULL';
     *   row_hash  60 bits of md5 over every column the same way, in column
     *             name order (columns are matched by name, not position);
     *   bucket    the group a row belongs to: md5 of its key text modulo
     *             p_buckets, which depends on neither collation nor index.
     * Text forms are canonical only under the settings analyze_overlap pins
     * on both sessions (TimeZone, DateStyle, IntervalStyle, ...).
     */
    WITH parts AS (
        SELECT (SELECT string_agg(format('pg_catalog.quote_nullable(%I::pg_catalog.text)', c), ' || '','' || '
                                  ORDER BY o)
                FROM unnest(p_key) WITH ORDINALITY AS k(c, o)) AS key_text,
               (SELECT string_agg(format('pg_catalog.quote_nullable(%I::pg_catalog.text)', c), ' || '','' || '
                                  ORDER BY c COLLATE "C")
                FROM unnest(p_columns) AS r(c)) AS row_text
    )
    SELECT format('%I.%I', p_schema, p_table),
           p.key_text,
           format('(''x'' || pg_catalog.substr(pg_catalog.md5(%s), 1, 15))::pg_catalog.bit(60)::pg_catalog.int8',
                  p.row_text),
           format('((''x'' || pg_catalog.substr(pg_catalog.md5(%s), 1, 8))::pg_catalog.bit(32)::pg_catalog.int8 %% %s)',
                  p.key_text, p_buckets)
    FROM parts p;
$$;

COMMENT ON FUNCTION steep_repl._overlap_row_sql(text, text, text[], text[], bigint) IS
    'Internal (analyze_overlap): the canonical key text, row hash and bucket expressions of a table, the same SQL for both nodes';
