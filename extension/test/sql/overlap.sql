-- analyze_overlap against a peer database of the same cluster (dblink), whose
-- sessions default to other TimeZone, DateStyle, IntervalStyle,
-- extra_float_digits, bytea_output and lc_monetary than this one: equal rows
-- of many types must hash equally (0 false conflicts), NULL apart from '' and
-- 'NULL', and the categories must add up.  The peer database also has
-- another collation.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT current_database() AS home \gset
-- The peer by the name of a foreign server, so that no connection string shows below.
SELECT current_setting('unix_socket_directories') AS sock, current_setting('port') AS port \gset
CREATE SERVER regress_overlap FOREIGN DATA WRAPPER dblink_fdw
    OPTIONS (host :'sock', port :'port', dbname 'regress_overlap_peer');
CREATE USER MAPPING FOR CURRENT_USER SERVER regress_overlap;
\set peer regress_overlap

CREATE DATABASE regress_overlap_peer TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';
ALTER DATABASE regress_overlap_peer SET lc_monetary = 'C.UTF-8';
ALTER DATABASE regress_overlap_peer SET TimeZone = 'Asia/Kathmandu';
ALTER DATABASE regress_overlap_peer SET DateStyle = 'SQL, DMY';
ALTER DATABASE regress_overlap_peer SET IntervalStyle = 'sql_standard';
ALTER DATABASE regress_overlap_peer SET extra_float_digits = -3;
ALTER DATABASE regress_overlap_peer SET bytea_output = 'escape';
SET TimeZone = 'America/St_Johns';
SET DateStyle = 'German, MDY';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 0;

-- The same tables and rows on both sides, built by one script.
\set build 'CREATE TYPE public.mood AS ENUM (''sad'', ''ok''); CREATE TABLE public.typed (id int PRIMARY KEY, t text, v varchar(9), b bytea, d date, ts timestamp, tz timestamptz, tm time, ttz timetz, iv interval, f4 real, f8 double precision, n numeric, m money, j jsonb, js json, u uuid, ip inet, a int[], ok boolean, mood public.mood); INSERT INTO public.typed SELECT i, CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '''' WHEN 2 THEN ''NULL'' ELSE ''é,''''x'' || i END, ''v'' || i, decode(md5(i::text), ''hex''), date ''2024-02-29'' + i, timestamp ''2024-01-01 12:34:56.789'' + i * interval ''1 hour'', timestamptz ''2024-06-30 23:59:59.123456+00'' + i * interval ''17 minutes'', time ''13:14:15.5'', timetz ''01:02:03+05:30'', make_interval(0, i, 0, i, i, i, 0.25), 1.0 / i, 1.0 / 3 * i, 1.0 / 7 * i, (i * 1.25)::numeric::money, jsonb_build_object(''i'', i, ''a'', ARRAY[i, -i]), ''{"b": 2, "a": 1}'', md5(i::text)::uuid, ''192.168.0.1''::inet + i, ARRAY[i, NULL, -i], i % 2 = 0, CASE WHEN i % 2 = 0 THEN ''sad''::public.mood ELSE ''ok'' END FROM generate_series(1, 3000) i;'
:build
\c regress_overlap_peer
SET client_min_messages = warning;
:build
\c :home
SET client_min_messages = warning;
SET TimeZone = 'America/St_Johns';
SET DateStyle = 'German, MDY';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 0;

-- Equal tables: everything matches, and only bucket sums cross the wire.
SELECT table_name, local_rows, remote_rows, matches, conflicts, local_only, remote_only,
       buckets, buckets_differing, rows_fetched, bytes_fetched < 3000 * 10 AS sub_linear
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.typed']);

-- The portable hash (md5, used when the nodes hash a probe differently, as
-- machines of another byte order would) is canonical too: the sums of the key
-- and row hashes are equal here and on the peer, whose session defaults differ.
SELECT format('SELECT pg_catalog.sum(%s) AS k, pg_catalog.sum(%s) AS h FROM %s', s.key_hash, s.row_hash, s.relation) AS md5_sums
FROM steep_repl._overlap_table_shape('public.typed') sh,
     steep_repl._overlap_row_sql(sh.table_schema, sh.table_name, sh.columns, sh.key_columns, 'md5') s \gset
SELECT steep_repl._overlap_connect(:'peer', 'regress_md5') IS NOT NULL AS connected;
BEGIN;
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';
SET LOCAL extra_float_digits = 3;
SET LOCAL bytea_output = 'hex';
SET LOCAL lc_monetary = 'C';
SELECT l.k = r.k AS keys_alike, l.h = r.h AS rows_alike
FROM (:md5_sums) l, dblink('regress_md5', :'md5_sums') AS r(k numeric, h numeric);
-- and its bucket sums, top level and sub-buckets, find no difference
SELECT steep_repl._overlap_level_sql(s.relation, s.key_hash, s.row_hash, NULL, 0, 4) AS md5_top,
       steep_repl._overlap_level_sql(s.relation, s.key_hash, s.row_hash, ARRAY[1, 5, 15], 4, 8) AS md5_sub
FROM steep_repl._overlap_table_shape('public.typed') sh,
     steep_repl._overlap_row_sql(sh.table_schema, sh.table_name, sh.columns, sh.key_columns, 'md5') s \gset
SELECT l.n AS top_rows, steep_repl._overlap_differing(NULL, 0, 4, l.f, r.f) AS top_differing
FROM (:md5_top) l, dblink('regress_md5', :'md5_top') AS r(n bigint, f text);
SELECT l.n > 0 AS sub_rows, steep_repl._overlap_differing(ARRAY[1, 5, 15], 4, 8, l.f, r.f) AS sub_differing
FROM (:md5_sub) l, dblink('regress_md5', :'md5_sub') AS r(n bigint, f text);
COMMIT;
SELECT dblink_disconnect('regress_md5');

-- Differences of every kind, on both sides.
UPDATE public.typed SET t = NULL WHERE id = 3;          -- 'x' -> NULL: conflict
UPDATE public.typed SET t = 'NULL' WHERE id = 4;        -- NULL -> 'NULL': conflict
UPDATE public.typed SET t = '' WHERE id = 8;            -- NULL -> '': conflict
DELETE FROM public.typed WHERE id IN (10, 11);          -- remote only
INSERT INTO public.typed (id, t) VALUES (5001, 'local'), (5002, 'local');  -- local only
\c regress_overlap_peer
UPDATE public.typed SET f8 = f8 + 1e-12 WHERE id = 20;  -- conflict in the last digits
DELETE FROM public.typed WHERE id = 30;                 -- local only
\c :home
SET TimeZone = 'Pacific/Chatham';
SELECT table_name, local_rows, remote_rows, matches, conflicts, local_only, remote_only,
       matches + conflicts + local_only = local_rows AS local_adds_up,
       matches + conflicts + remote_only = remote_rows AS remote_adds_up,
       -- a top bucket differs only where a key does
       buckets_differing <= conflicts + local_only + remote_only AS few_buckets_differ,
       -- and is split into sub-buckets: the rows of about 9 small ones cross (about 230 rows
       -- and sums in all), not the 700 rows of 7 top buckets as with one level
       rows_fetched < remote_rows / 8 AS refined
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.typed'], '{"rows_per_bucket": 100}');

-- Kept: the counts and the keys of unequal rows, for later inspection (bounded).
SELECT table_name, conflicts, local_only, remote_only, run_id IS NOT NULL AS kept
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.typed'], '{"rows_per_bucket": 100, "keep": true}');
SELECT run_id AS run FROM steep_repl.overlap_runs ORDER BY run_id DESC LIMIT 1 \gset
SELECT peer, tables -> 0 ->> 'conflicts' AS conflicts FROM steep_repl.overlap_runs WHERE run_id = :run;
SELECT category, key_text FROM steep_repl.overlap_details(:run);
SELECT category, key_text FROM steep_repl.overlap_details(:run, 'public.typed', 'remote_only', 1);
-- another role sees neither the analysis nor its keys, and cannot add to it
CREATE ROLE regress_overlap_other;
SET ROLE regress_overlap_other;
SELECT count(*) AS runs_seen FROM steep_repl.overlap_runs;
SELECT try(format('SELECT * FROM steep_repl.overlap_details(%s)', :run));
SELECT try(format('INSERT INTO steep_repl.overlap_keys VALUES (%s, ''public.typed'', ''conflict'', ''x'')', :run));
RESET ROLE;
DROP ROLE regress_overlap_other;
SELECT try(format('SELECT * FROM steep_repl.overlap_details(%s, NULL, ''equal'')', :run));
SELECT try(format('SELECT * FROM steep_repl.overlap_details(%s, NULL, NULL, 0)', :run));
DELETE FROM steep_repl.overlap_runs WHERE run_id = :run;
SELECT count(*) AS keys_left FROM steep_repl.overlap_keys WHERE run_id = :run;

-- Keys of one integer column that are negative, extreme or sparse (low bits all 0: the
-- sub-buckets must still split), and keys of one text column: exact counts, and
-- only the rows of differing sub-buckets fetched.
\set keyed 'CREATE TABLE public.signed (id bigint PRIMARY KEY, v int); INSERT INTO public.signed SELECT CASE WHEN i % 2 = 0 THEN -i ELSE i END * 4096, i FROM generate_series(1, 4000) i; INSERT INTO public.signed VALUES (9223372036854775807, 0), (-9223372036854775808, 0); CREATE TABLE public.named (name text PRIMARY KEY, v int); INSERT INTO public.named SELECT CASE WHEN i % 3 = 0 THEN ''é'' || i ELSE ''n'' || i END, i FROM generate_series(1, 4000) i; INSERT INTO public.named VALUES ('''', 0), (''NULL'', 0);'
:keyed
\c regress_overlap_peer
:keyed
UPDATE public.signed SET v = v + 1 WHERE id IN (4096, -8192, 9223372036854775807, -9223372036854775808, 4096 * 3999);
DELETE FROM public.signed WHERE id IN (-4096 * 10, 4096 * 11, 4096 * 2001);
INSERT INTO public.signed VALUES (1, 1), (-1, 1);
UPDATE public.named SET v = -1 WHERE name IN ('', 'é3');
DELETE FROM public.named WHERE name = 'NULL';
INSERT INTO public.named VALUES ('n4001', 1);
\c :home
SET client_min_messages = warning;
SELECT table_name, local_rows, remote_rows, matches, conflicts, local_only, remote_only, rows_fetched < remote_rows / 4 AS refined
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.signed', 'public.named']);

-- Composite keys, named key columns, and refusals.
CREATE TABLE public.pair (a int, b text, v int, PRIMARY KEY (a, b));
CREATE TABLE public.keyless (a int, v int);
CREATE TABLE public.wider (id int PRIMARY KEY, extra int);
INSERT INTO public.pair VALUES (1, 'x', 1), (1, 'y', 2), (2, 'x', 3);
INSERT INTO public.keyless VALUES (1, 1), (2, 2);
\c regress_overlap_peer
CREATE TABLE public.pair (a int, b text, v int, PRIMARY KEY (a, b));
CREATE TABLE public.keyless (v int, a int);
CREATE TABLE public.wider (id int PRIMARY KEY);
INSERT INTO public.pair VALUES (1, 'x', 1), (1, 'y', 20), (3, 'x', 3);
INSERT INTO public.keyless VALUES (1, 1), (3, 3);
\c :home
SET client_min_messages = warning;
SET TimeZone = 'Pacific/Chatham';
SET DateStyle = 'SQL, DMY';
SELECT table_name, matches, conflicts, local_only, remote_only
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.pair']);
SELECT try($$SELECT * FROM steep_repl.analyze_overlap('$$ || :'peer' || $$', ARRAY['public.keyless'])$$);
-- columns are matched by name, so another column order is no difference
SELECT table_name, matches, local_only, remote_only
FROM steep_repl.analyze_overlap(:'peer', ARRAY['public.keyless'], '{"key_columns": {"public.keyless": ["a"]}}');
SELECT try(t.call)
FROM (VALUES
    ($$SELECT * FROM steep_repl.analyze_overlap('x', ARRAY['public.wider'])$$),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[''public.wider''])'),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[''public.nope''])'),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[]::text[])'),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[''public.pair''], ''{"limit": 1}'')'),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[''public.pair''], ''{"rows_per_bucket": 5}'')'),
    ('SELECT * FROM steep_repl.analyze_overlap(''' || :'peer' || ''', ARRAY[''public.keyless''], ''{"key_columns": {"public.keyless": ["zz"]}}'')')
) AS t(call);

-- The caller's own settings are unchanged afterwards.
SHOW TimeZone;
SHOW DateStyle;

DROP TABLE public.typed, public.pair, public.keyless, public.wider, public.signed, public.named;
DROP TYPE public.mood;
DROP USER MAPPING FOR CURRENT_USER SERVER regress_overlap;
DROP SERVER regress_overlap;
DROP DATABASE regress_overlap_peer;
