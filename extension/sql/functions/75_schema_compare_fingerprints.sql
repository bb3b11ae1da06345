CREATE FUNCTION steep_repl.compare_fingerprints(p_local jsonb, p_remote jsonb)
RETURNS TABLE (
    table_schema text,
    table_name text,
    status text,
    blocking boolean,
    components text[],
    differences jsonb
)
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
-- the row estimates of jsonb_array_elements make the planner JIT-compile a
-- query that runs in milliseconds, for about a second
SET jit = off
AS $$
BEGIN
    /*
     * The one comparison of two fingerprint documents (fingerprint_query's
     * output), whoever fetched them: compare_schema through dblink, or the
     * CLI over its own connections.  One row per table of either side.
     *
     * differences lists {component, object, difference, local, remote,
     * blocking}: for columns, object is the column and difference one of
     * only_local, only_remote, type, not_null, default, identity, generated,
     * collation, position; for the other components, object is the item
     * (a normalised definition) and difference only_local or only_remote.
     * A table on one side only lists its columns as only_local/only_remote.
     *
     * Blocking (logical replication would fail or lose data): a table or
     * column missing on one side, a type or nullability change, a column
     * generated on one side only, any primary key difference.
     */
    IF p_local->>'format' IS DISTINCT FROM '1' OR p_remote->>'format' IS DISTINCT FROM '1' THEN
        RAISE EXCEPTION 'unsupported fingerprint document format (local %, remote %)',
                coalesce(p_local->>'format', 'none'), coalesce(p_remote->>'format', 'none')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass the documents that steep_repl.fingerprint_query() computes on each side.';
    END IF;
    IF p_local->'include_column_order' IS DISTINCT FROM p_remote->'include_column_order'
       OR p_local->'include_names' IS DISTINCT FROM p_remote->'include_names' THEN
        RAISE EXCEPTION 'the fingerprint documents were computed with different options'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Compute both with the same include_column_order and include_names.';
    END IF;

    RETURN QUERY
    WITH l AS (
        SELECT e->>'schema' AS s, e->>'table' AS t, e AS doc FROM jsonb_array_elements(p_local->'tables') e
    ),
    r AS (
        SELECT e->>'schema' AS s, e->>'table' AS t, e AS doc FROM jsonb_array_elements(p_remote->'tables') e
    ),
    pairs AS (
        SELECT coalesce(l.s, r.s) AS s, coalesce(l.t, r.t) AS t, l.doc AS ld, r.doc AS rd
        FROM l FULL JOIN r ON l.s = r.s AND l.t = r.t
    ),
    component_names AS (
        SELECT c.name, c.ord
        FROM unnest(ARRAY['columns', 'primary_key', 'unique', 'check', 'foreign_keys',
                          'indexes', 'partitioning', 'sequences']) WITH ORDINALITY AS c(name, ord)
    ),
    differing AS (
        -- components whose hashes differ; a one-sided table compares its columns with none
        SELECT p.s, p.t, c.name, c.ord,
               coalesce(p.ld->'components'->c.name->'items', '[]'::jsonb) AS li,
               coalesce(p.rd->'components'->c.name->'items', '[]'::jsonb) AS ri
        FROM pairs p
        CROSS JOIN component_names c
        WHERE (p.ld IS NOT NULL AND p.rd IS NOT NULL
               AND p.ld->'components'->c.name->>'hash' IS DISTINCT FROM p.rd->'components'->c.name->>'hash')
           OR ((p.ld IS NULL OR p.rd IS NULL) AND c.name = 'columns')
    ),
    column_pairs AS (
        SELECT d.s, d.t, d.ord, coalesce(lc->>'name', rc->>'name') AS col, lc, rc
        FROM differing d
        CROSS JOIN LATERAL (
            SELECT lc, rc
            FROM jsonb_array_elements(d.li) lc
            FULL JOIN jsonb_array_elements(d.ri) rc ON lc->>'name' = rc->>'name'
        ) x
        WHERE d.name = 'columns'
    ),
    column_differences AS (
        SELECT cp.s, cp.t, cp.ord, cp.col AS object, 'only_local' AS difference,
               cp.lc->'type' AS lv, NULL::jsonb AS rv, true AS blocks
        FROM column_pairs cp WHERE cp.rc IS NULL
        UNION ALL
        SELECT cp.s, cp.t, cp.ord, cp.col, 'only_remote', NULL, cp.rc->'type', true
        FROM column_pairs cp WHERE cp.lc IS NULL
        UNION ALL
        SELECT cp.s, cp.t, cp.ord, cp.col, prop.name, cp.lc->prop.name, cp.rc->prop.name,
               CASE WHEN prop.name = 'generated'
                    THEN (cp.lc->>'generated' IS NULL) <> (cp.rc->>'generated' IS NULL)
                    ELSE prop.blocks
               END
        FROM column_pairs cp
        CROSS JOIN (VALUES ('type', true), ('not_null', true), ('default', false), ('identity', false),
                           ('generated', false), ('collation', false), ('position', false)) prop(name, blocks)
        WHERE cp.lc IS NOT NULL AND cp.rc IS NOT NULL
          AND cp.lc->prop.name IS DISTINCT FROM cp.rc->prop.name
          AND (prop.name <> 'position' OR (p_local->>'include_column_order')::boolean)
    ),
    item_differences AS (
        SELECT d.s, d.t, d.ord, d.name AS component, i.item #>> '{}' AS object,
               CASE WHEN i.in_local THEN 'only_local' ELSE 'only_remote' END AS difference,
               CASE WHEN i.in_local THEN i.item END AS lv,
               CASE WHEN i.in_local THEN NULL ELSE i.item END AS rv,
               d.name = 'primary_key' AS blocks
        FROM differing d
        CROSS JOIN LATERAL (
            SELECT li.item, true AS in_local FROM jsonb_array_elements(d.li) li(item)
            WHERE NOT d.ri @> jsonb_build_array(li.item)
            UNION ALL
            SELECT ri.item, false FROM jsonb_array_elements(d.ri) ri(item)
            WHERE NOT d.li @> jsonb_build_array(ri.item)
        ) i
        WHERE d.name <> 'columns'
    ),
    all_differences AS (
        SELECT cd.s, cd.t, cd.ord, 'columns' AS component, cd.object, cd.difference, cd.lv, cd.rv, cd.blocks
        FROM column_differences cd
        UNION ALL
        SELECT i.s, i.t, i.ord, i.component, i.object, i.difference, i.lv, i.rv, i.blocks
        FROM item_differences i
    )
    SELECT p.s, p.t,
           CASE WHEN p.rd IS NULL THEN 'local_only'
                WHEN p.ld IS NULL THEN 'remote_only'
                WHEN p.ld->>'fingerprint' = p.rd->>'fingerprint' THEN 'match'
                ELSE 'mismatch'
           END,
           p.ld IS NULL OR p.rd IS NULL
               OR coalesce((SELECT bool_or(a.blocks) FROM all_differences a WHERE a.s = p.s AND a.t = p.t), false),
           CASE WHEN p.ld IS NULL OR p.rd IS NULL THEN ARRAY[]::text[]
                ELSE coalesce((SELECT array_agg(d.name ORDER BY d.ord) FROM differing d
                               WHERE d.s = p.s AND d.t = p.t), ARRAY[]::text[])
           END,
           coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'component', a.component, 'object', a.object, 'difference', a.difference,
                                'local', a.lv, 'remote', a.rv, 'blocking', a.blocks)
                            ORDER BY a.ord, a.object COLLATE "C", a.difference COLLATE "C")
                     FROM all_differences a WHERE a.s = p.s AND a.t = p.t), '[]'::jsonb)
    FROM pairs p
    ORDER BY p.s COLLATE "C", p.t COLLATE "C";
END;
$$;

COMMENT ON FUNCTION steep_repl.compare_fingerprints(jsonb, jsonb) IS
    'Compares two fingerprint documents table by table: status match, mismatch, local_only or remote_only, whether the difference blocks replication, and what differs';
