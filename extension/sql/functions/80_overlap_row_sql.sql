CREATE FUNCTION steep_repl._overlap_row_sql(
    p_schema text,
    p_table text,
    p_columns text[],
    p_key text[],
    p_hash text DEFAULT 'builtin',
    p_integer_key boolean DEFAULT false,
    p_top_bits integer DEFAULT 0
)
RETURNS TABLE (relation text, key_text text, key_hash text, row_hash text)
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * The SQL expressions of overlap analysis, one text for both nodes, so
     * that a row is hashed the same way on each (docs/overlap.md):
     *   key_text  the key columns, each as quote_nullable(col::text), joined
     *             by ',': NULL is the word NULL, any value a quoted literal,
     *             so NULL differs from '' and from 'NULL' (kept in
     *             overlap_keys, read by the merge);
     *   key_hash  64 bits of the key, which place a row in its bucket at every
     *             level (the low bits): depends on neither collation nor index;
     *   row_hash  64 bits of the row's text form: every column, in column
     *             name order (columns are matched by name, not position), as
     *             the text of ROW(...), where NULL is an empty field and ''
     *             a quoted one.
     * p_hash 'builtin' hashes with hashtextextended over the bytes (collation
     * "C") and, for a key of one integer column on both nodes
     * (p_integer_key), with hashint8extended over its value: about as cheap
     * as reading the text, but the same on two nodes only when they hash a
     * probe alike (_overlap_table checks); 'md5' is the portable fallback.
     * An integer key's low p_top_bits bits (its top-level bucket) hash its
     * value divided by 16, so that rows stored in key order fall 16 in a row
     * into one bucket: summing them then finds the bucket in the CPU's cache
     * (a quarter of the top level's time on a million rows); the bits above
     * (sub-buckets) hash the value itself, so buckets split evenly whatever
     * the keys' low bits.
     * Text forms are canonical only under the settings _overlap_table pins
     * on both sessions (TimeZone, DateStyle, IntervalStyle, ...).
     */
    WITH parts AS (
        SELECT (SELECT string_agg(format('pg_catalog.quote_nullable(%I::pg_catalog.text)', c), ' || '','' || '
                                  ORDER BY o)
                FROM unnest(p_key) WITH ORDINALITY AS k(c, o)) AS key_text,
               CASE WHEN cardinality(p_key) = 1 THEN format('%I::pg_catalog.text', p_key[1])
                    ELSE format('ROW(%s)::pg_catalog.text',
                                (SELECT string_agg(format('%I', c), ', ' ORDER BY o)
                                 FROM unnest(p_key) WITH ORDINALITY AS k(c, o))) END AS key_form,
               format('ROW(%s)::pg_catalog.text',
                      (SELECT string_agg(format('%I', c), ', ' ORDER BY c COLLATE "C")
                       FROM unnest(p_columns) AS r(c))) AS row_form
    ),
    hash AS (
        -- 64 bits of a text under a seed, as SQL.
        SELECT CASE p_hash
                   WHEN 'builtin' THEN 'pg_catalog.hashtextextended((%s) COLLATE pg_catalog."C", %s)'
                   ELSE '(''x'' || pg_catalog.substr(pg_catalog.md5((%s) || %s), 1, 16))::pg_catalog.bit(64)::pg_catalog.int8'
               END AS form
    )
    SELECT format('%I.%I', p_schema, p_table),
           p.key_text,
           CASE WHEN p_hash = 'builtin' AND p_integer_key
                THEN format('coalesce((pg_catalog.hashint8extended(%I::pg_catalog.int8 >> 4, 0) & %s) '
                            || '| (pg_catalog.hashint8extended(%I::pg_catalog.int8, 0) & (%s)), 0)',
                            p_key[1], (1::bigint << p_top_bits) - 1, p_key[1], -(1::bigint << p_top_bits))
                ELSE format('coalesce(%s, 0)', format(h.form, p.key_form, 0)) END,
           format(h.form, p.row_form, 1)
    FROM parts p, hash h;
$$;

COMMENT ON FUNCTION steep_repl._overlap_row_sql(text, text, text[], text[], text, boolean, integer) IS
    'Internal (analyze_overlap, merge): the canonical key text, key hash and row hash expressions of a table, the same SQL for both nodes';
