CREATE FUNCTION steep_repl.fingerprint_query(
    p_schemas text[] DEFAULT NULL,
    p_include_column_order boolean DEFAULT false,
    p_include_names boolean DEFAULT false
)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
/*
 * The one definition of a table fingerprint.  The text is a single SELECT
 * that reads only the system catalogs of PostgreSQL 12 or later, so the same
 * statement runs here (fingerprints, compare_schema) and on a peer that does
 * not have steep_repl (sent through dblink, or by the CLI).  It returns one
 * row with one jsonb document:
 *
 *   {"format": 1, "include_column_order": .., "include_names": ..,
 *    "server_version_num": .., "tables": [{"schema", "table", "kind",
 *    "fingerprint", "components": {"<name>": {"hash", "items"}}}]}
 *
 * The session running it must have the settings of local_fingerprints()
 * (fingerprint_settings_query() sets them in a peer's session): format_type,
 * pg_get_expr and pg_get_*def qualify every name that is not on the
 * search_path and render constants in the session's DateStyle, so both sides
 * must run with the same ones.  Items are
 * sorted with COLLATE "C" so that the database collation cannot change a hash.
 * The template is a format() string: it must not contain a percent sign other
 * than its three parameters.
 */
SELECT pg_catalog.format($q$
WITH params AS (
    SELECT %1$L::text[] AS schemas,
           %2$L::boolean AS include_column_order,
           %3$L::boolean AS include_names
),
tabs AS (
    SELECT c.oid, n.nspname::text AS nspname, c.relname::text AS relname, c.relkind, c.relispartition,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN params p
    WHERE c.relkind IN ('r', 'p')
      AND c.relpersistence <> 't'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname !~ '^pg_(toast_)?temp_'
      AND (p.schemas IS NULL OR n.nspname = ANY (p.schemas))
      -- tables of extensions (steep_repl's own among them) belong to the extension
      AND NOT EXISTS (SELECT FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
),
owned_sequences AS (
    SELECT d.refobjid AS table_oid, d.refobjsubid AS attnum, s.oid AS seq_oid,
           quote_ident(sn.nspname) || '.' || quote_ident(s.relname) AS qualified
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_namespace sn ON sn.oid = s.relnamespace
    WHERE d.classid = 'pg_class'::regclass
      AND d.refclassid = 'pg_class'::regclass
      AND d.deptype IN ('a', 'i')
      AND d.refobjid IN (SELECT oid FROM tabs)
),
column_rows AS (
    SELECT a.attrelid AS oid,
           jsonb_build_object(
               'name', a.attname::text,
               'type', format_type(a.atttypid, a.atttypmod),
               'not_null', a.attnotnull,
               -- a serial's default names its sequence: without include_names
               -- the name of an owned sequence is left out
               'default', CASE WHEN a.attgenerated = '' THEN
                              CASE WHEN p.include_names OR os.qualified IS NULL
                                   THEN pg_get_expr(ad.adbin, ad.adrelid)
                                   ELSE replace(pg_get_expr(ad.adbin, ad.adrelid),
                                                quote_literal(os.qualified) || '::regclass',
                                                'owned sequence')
                              END
                          END,
               'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
               'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
               'collation', CASE WHEN a.attcollation <> ty.typcollation
                                 THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
               'position', row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)) AS item
    FROM pg_attribute a
    CROSS JOIN params p
    JOIN pg_type ty ON ty.oid = a.atttypid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    LEFT JOIN owned_sequences os ON os.table_oid = a.attrelid AND os.attnum = a.attnum
    WHERE a.attrelid IN (SELECT oid FROM tabs)
      AND a.attnum > 0
      AND NOT a.attisdropped
),
constraint_rows AS (
    SELECT con.conrelid AS oid,
           CASE con.contype WHEN 'p' THEN 'primary_key' WHEN 'u' THEN 'unique' WHEN 'x' THEN 'unique'
                            WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign_keys' END AS component,
           CASE WHEN p.include_names THEN 'CONSTRAINT ' || quote_ident(con.conname) || ' ' ELSE '' END
               || pg_get_constraintdef(con.oid) AS item
    FROM pg_constraint con
    CROSS JOIN params p
    WHERE con.conrelid IN (SELECT oid FROM tabs)
      AND con.contype IN ('p', 'u', 'x', 'c', 'f')
),
index_rows AS (
    -- pg_get_indexdef without "CREATE [UNIQUE] INDEX name ON [ONLY] schema.table";
    -- indexes that implement a primary key, unique or exclusion constraint
    -- are covered by those components
    SELECT x.oid,
           CASE WHEN x.include_names THEN quote_ident(x.index_name) || ' ' ELSE '' END
               || CASE WHEN x.indisunique THEN 'UNIQUE INDEX ' ELSE 'INDEX ' END
               || CASE WHEN starts_with(x.def, x.head || x.qualified || ' ')
                       THEN substr(x.def, length(x.head || x.qualified || ' ') + 1)
                       WHEN starts_with(x.def, x.head || 'ONLY ' || x.qualified || ' ')
                       THEN substr(x.def, length(x.head || 'ONLY ' || x.qualified || ' ') + 1)
                       ELSE x.def
                  END AS item
    FROM (SELECT t.oid, t.qualified, i.indisunique, ic.relname::text AS index_name, p.include_names,
                 pg_get_indexdef(i.indexrelid) AS def,
                 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END
                     || 'INDEX ' || quote_ident(ic.relname) || ' ON ' AS head
          FROM tabs t
          CROSS JOIN params p
          JOIN pg_index i ON i.indrelid = t.oid
          JOIN pg_class ic ON ic.oid = i.indexrelid
          WHERE NOT EXISTS (SELECT FROM pg_constraint k
                            WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                              AND k.contype IN ('p', 'u', 'x'))) x
),
partition_rows AS (
    SELECT t.oid, 'PARTITION BY ' || pg_get_partkeydef(t.oid) AS item
    FROM tabs t
    WHERE t.relkind = 'p'
    UNION ALL
    SELECT t.oid, 'PARTITION OF ' || quote_ident(pn.nspname) || '.' || quote_ident(pc.relname)
                  || ' ' || pg_get_expr(c.relpartbound, c.oid)
    FROM tabs t
    JOIN pg_class c ON c.oid = t.oid
    JOIN pg_inherits inh ON inh.inhrelid = t.oid
    JOIN pg_class pc ON pc.oid = inh.inhparent
    JOIN pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE t.relispartition
),
sequence_rows AS (
    SELECT os.table_oid AS oid,
           CASE WHEN p.include_names THEN os.qualified || ' ' ELSE '' END
               || a.attname || ': ' || format_type(s.seqtypid, NULL)
               || ' START ' || s.seqstart || ' INCREMENT ' || s.seqincrement
               || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache
               || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END AS item
    FROM owned_sequences os
    CROSS JOIN params p
    JOIN pg_sequence s ON s.seqrelid = os.seq_oid
    JOIN pg_attribute a ON a.attrelid = os.table_oid AND a.attnum = os.attnum
),
text_items AS (
    SELECT oid, component, item FROM constraint_rows
    UNION ALL SELECT oid, 'indexes', item FROM index_rows
    UNION ALL SELECT oid, 'partitioning', item FROM partition_rows
    UNION ALL SELECT oid, 'sequences', item FROM sequence_rows
),
components AS (
    SELECT t.oid, c.name,
           coalesce((SELECT jsonb_agg(cr.item ORDER BY cr.item->>'name' COLLATE "C")
                     FROM column_rows cr WHERE cr.oid = t.oid AND c.name = 'columns'),
                    (SELECT jsonb_agg(ti.item ORDER BY ti.item COLLATE "C")
                     FROM text_items ti WHERE ti.oid = t.oid AND ti.component = c.name),
                    '[]'::jsonb) AS items
    FROM tabs t
    CROSS JOIN (VALUES ('columns'), ('primary_key'), ('unique'), ('check'), ('foreign_keys'),
                       ('indexes'), ('partitioning'), ('sequences')) c(name)
),
hashed AS (
    -- column positions count only when asked for
    SELECT c.oid, c.name, c.items,
           encode(sha256(convert_to(
               CASE WHEN c.name = 'columns' AND NOT p.include_column_order
                    THEN coalesce((SELECT jsonb_agg(e.value - 'position' ORDER BY e.ordinality)
                                   FROM jsonb_array_elements(c.items) WITH ORDINALITY e), '[]'::jsonb)
                    ELSE c.items
               END::text, 'UTF8')), 'hex') AS hash
    FROM components c
    CROSS JOIN params p
),
table_docs AS (
    SELECT t.nspname, t.relname,
           jsonb_build_object(
               'schema', t.nspname,
               'table', t.relname,
               'kind', CASE t.relkind WHEN 'p' THEN 'partitioned table' ELSE 'table' END,
               'fingerprint', encode(sha256(convert_to(
                   string_agg(h.name || '=' || h.hash, ',' ORDER BY h.name COLLATE "C"), 'UTF8')), 'hex'),
               'components', jsonb_object_agg(h.name, jsonb_build_object('hash', h.hash, 'items', h.items))
           ) AS doc
    FROM tabs t
    JOIN hashed h ON h.oid = t.oid
    GROUP BY t.oid, t.nspname, t.relname, t.relkind
)
SELECT jsonb_build_object(
           'format', 1,
           'server_version_num', current_setting('server_version_num')::integer,
           'include_column_order', p.include_column_order,
           'include_names', p.include_names,
           'tables', coalesce((SELECT jsonb_agg(td.doc ORDER BY td.nspname COLLATE "C", td.relname COLLATE "C")
                               FROM table_docs td), '[]'::jsonb)) AS fingerprints
FROM params p
$q$, p_schemas, coalesce(p_include_column_order, false), coalesce(p_include_names, false))
$fn$;

COMMENT ON FUNCTION steep_repl.fingerprint_query(text[], boolean, boolean) IS
    'The catalog query that fingerprints every table (or those of the given schemas) as one jsonb document; runs on any PostgreSQL 12+ in a session with fingerprint_settings_query()''s settings';
