-- One level of an overlap analysis: the sums of the row hashes of buckets, and which differ.

CREATE FUNCTION steep_repl._overlap_level_sql(
    p_relation text,
    p_key_hash text,
    p_row_hash text,
    p_parents bigint[],
    p_parent_bits integer,
    p_bits integer
)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * The query, the same on both nodes, that sums the row hashes of the
     * buckets of p_bits bits (a row's bucket: the low p_bits bits of its key
     * hash) inside the buckets p_parents of p_parent_bits bits, all of them
     * when p_parents is NULL.  One row: n, the rows in those buckets, and f,
     * base64 of 8 bytes per bucket, parent by parent (in p_parents' order),
     * then child by child: the sum of the row hashes modulo 2^64.  A sum, not
     * XOR: two differences cancel only when they add up to 0 (about 1 in
     * 2^64), where under XOR two equal ones always would.  Only the rows of
     * the parents are read past their key hash, so a level below the top
     * costs a scan of the keys.
     */
    SELECT format(
        'SELECT pg_catalog.sum(g.n)::pg_catalog.int8 AS n, pg_catalog.encode(pg_catalog.string_agg(coalesce('
        || 'pg_catalog.int8send((((g.s %% 18446744073709551616) + 18446744073709551616) %% 18446744073709551616 '
        || '- 9223372036854775808)::pg_catalog.int8), '
        || 'pg_catalog.decode(''0000000000000000'', ''hex'')), ''''::pg_catalog.bytea ORDER BY p.o, j.j), ''base64'') AS f '
        || 'FROM pg_catalog.unnest(%L::pg_catalog.int8[]) WITH ORDINALITY AS p(p, o) '
        || 'CROSS JOIN pg_catalog.generate_series(0::pg_catalog.int8, %s) AS j(j) '
        || 'LEFT JOIN (SELECT %s & %s AS c, pg_catalog.count(*) AS n, pg_catalog.sum(%s) AS s '
        || 'FROM %s %s GROUP BY 1) g ON g.c = p.p + (j.j << %s)',
        coalesce(p_parents, ARRAY[0]::bigint[]),
        (1::bigint << (p_bits - p_parent_bits)) - 1,
        p_key_hash, (1::bigint << p_bits) - 1, p_row_hash, p_relation,
        CASE WHEN p_parents IS NOT NULL THEN
            format('WHERE (%s & %s) = ANY (%L::pg_catalog.int8[])', p_key_hash, (1::bigint << p_parent_bits) - 1, p_parents)
        ELSE '' END,
        p_parent_bits);
$$;

COMMENT ON FUNCTION steep_repl._overlap_level_sql(text, text, text, bigint[], integer, integer) IS
    'Internal (analyze_overlap): the query that sums the row hashes of the buckets below some parent buckets, the same on both nodes';

CREATE FUNCTION steep_repl._overlap_level(
    p_connection text,
    p_query text,
    OUT local_rows bigint,
    OUT local_sums text,
    OUT remote_rows bigint,
    OUT remote_sums text,
    OUT bytes bigint
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_dblink text := steep_repl._dblink_schema();
BEGIN
    /*
     * Runs a level query (_overlap_level_sql) on both nodes at once: sent to
     * the peer first, run here, then the peer's answer read, with its size.
     */
    EXECUTE format('SELECT %I.dblink_send_query($1, $2)', v_dblink) USING p_connection, p_query;
    EXECUTE p_query INTO local_rows, local_sums;
    EXECUTE format('SELECT t.n, t.f, pg_catalog.octet_length(t::pg_catalog.text) '
                   || 'FROM %I.dblink_get_result($1) AS t(n bigint, f text)', v_dblink)
        USING p_connection INTO remote_rows, remote_sums, bytes;
    -- The second read finds no result: the connection is free again.
    EXECUTE format('SELECT pg_catalog.count(*) FROM %I.dblink_get_result($1) AS t(n bigint)', v_dblink)
        USING p_connection;
END;
$$;

COMMENT ON FUNCTION steep_repl._overlap_level(text, text) IS
    'Internal (analyze_overlap): runs one level query on this node and the peer at once; both answers and the bytes of the peer''s';

CREATE FUNCTION steep_repl._overlap_differing(
    p_parents bigint[],
    p_parent_bits integer,
    p_bits integer,
    p_local_sums text,
    p_remote_sums text
)
RETURNS bigint[]
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /* The buckets whose sums differ between the two answers of one level (NULL when none do). */
    SELECT array_agg(p.p + (j.j << p_parent_bits) ORDER BY p.o, j.j)
    FROM unnest(coalesce(p_parents, ARRAY[0]::bigint[])) WITH ORDINALITY AS p(p, o)
    CROSS JOIN generate_series(0::bigint, (1::bigint << (p_bits - p_parent_bits)) - 1) AS j(j)
    -- decoded once (OFFSET 0: not pulled up into the condition, which would decode them per bucket)
    CROSS JOIN (SELECT decode(p_local_sums, 'base64') AS l, decode(p_remote_sums, 'base64') AS r OFFSET 0) x
    WHERE substring(x.l FROM ((((p.o - 1) << (p_bits - p_parent_bits)) + j.j) * 8 + 1)::integer FOR 8)
          IS DISTINCT FROM substring(x.r FROM ((((p.o - 1) << (p_bits - p_parent_bits)) + j.j) * 8 + 1)::integer FOR 8);
$$;

COMMENT ON FUNCTION steep_repl._overlap_differing(bigint[], integer, integer, text, text) IS
    'Internal (analyze_overlap): the buckets of one level whose sums differ between this node and the peer';
