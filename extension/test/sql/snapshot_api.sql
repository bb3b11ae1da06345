-- The snapshot SQL API: start_snapshot, start_apply, the snapshots table and
-- its triggers, snapshot_progress, cancel_snapshot, wait_snapshot.  No Java
-- worker runs here (see run-regress.sh): the tests play its part with the
-- internal queue functions.
\set SHOW_CONTEXT never

-- A run starts at once: its row comes back pending, with a fresh id.
SELECT snapshot_id ~ '^snap_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$' AS id_format,
       op, job_id IS NOT NULL AS has_job, path, compression, parallel, options, status,
       phase, tables_total, rows_total, lsn, submitted_by = steep_repl._current_role() AS mine,
       started_at, finished_at, error_message
FROM steep_repl.start_snapshot('/srv/snap//shop/./a/', 'zstd:3', 2, '{"node_id": "node-a"}');
SELECT snapshot_id AS gen_id, job_id AS gen_job FROM steep_repl.snapshots WHERE path = '/srv/snap/shop/a' \gset
-- the id names the UTC time of the start
SELECT substr(:'gen_id', 6, 15)
       BETWEEN to_char((now() - interval '1 minute') AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS')
           AND to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MISS') AS id_is_now;
-- the job carries what the handler needs (docs/snapshots.md)
SELECT kind, status, params - 'snapshot_id' AS params, params ->> 'snapshot_id' = :'gen_id' AS same_id
FROM steep_repl.work_queue WHERE id = :gen_job;

-- Defaults, and every compression spelling.
SELECT c.spec, (steep_repl.start_snapshot('/srv/snap/c-' || c.spec, c.spec)).compression
FROM (VALUES ('none'), ('gzip'), ('gzip:9'), ('lz4:1'), ('lz4:12'), ('zstd'), ('zstd:22'), ('zstd:01')) AS c(spec);
SELECT s.path, w.params -> 'compression' AS job_compression
FROM steep_repl.snapshots s JOIN steep_repl.work_queue w ON w.id = s.job_id
WHERE s.path LIKE '/srv/snap/c-%' ORDER BY s.path;
SELECT compression, parallel, options, status FROM steep_repl.start_snapshot('/srv/snap/defaults');

SELECT op, path, compression, parallel, options, status
FROM steep_repl.start_apply('/srv/snap/shop/a', 3, false, '{"replace": true, "node_id": "node-b"}');
SELECT parallel, options FROM steep_repl.start_apply('/srv/snap/defaults');
SELECT s.path, w.kind, w.params - 'snapshot_id' AS params
FROM steep_repl.snapshots s JOIN steep_repl.work_queue w ON w.id = s.job_id
WHERE s.op = 'apply' ORDER BY s.path;

-- Bad input: SQLSTATE, message and hint; nothing is queued.
SELECT count(*) AS jobs_before FROM steep_repl.work_queue \gset
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl.start_snapshot(NULL)$$),
    ($$SELECT steep_repl.start_snapshot('')$$),
    ($$SELECT steep_repl.start_snapshot('snap/shop')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/../etc/x')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/snap/..')$$),
    ($$SELECT steep_repl.start_snapshot(E'/srv/snap/a\nb')$$),
    ($$SELECT steep_repl.start_snapshot('//')$$),
    ($$SELECT steep_repl.start_snapshot('/' || repeat('x', 1024))$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', NULL)$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'ZSTD')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'brotli')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'zstd:')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'zstd:-1')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'zstd:0')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'zstd:23')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'gzip:10')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'lz4:13')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none:1')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 0)$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 65)$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', NULL)$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, NULL)$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '[]')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"replace": true}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"node_id": "-a"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"node_id": 7}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"include_schemas": "public"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"exclude_tables": ["a", 1]}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"include_tables": [""]}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"keep_slot": "yes"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"keep_slot": true, "slot_name": "Slot"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"slot_name": "s1"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"split_threshold_mb": 0}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"split_threshold_mb": 1.5}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"split_threshold_mb": "64"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"checksum": "md5"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"checksum": "SHA256"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"checksum": null}')$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 4, true, '{"checksum": "sha256"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"data_format": "csv"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"data_format": "BINARY"}')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/x', 'none', 4, '{"data_format": true}')$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 4, true, '{"data_format": "text"}')$$),
    ($$SELECT steep_repl.start_apply(NULL)$$),
    ($$SELECT steep_repl.start_apply('relative')$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 0)$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 4, NULL)$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 4, true, '{"keep_slot": true}')$$),
    ($$SELECT steep_repl.start_apply('/srv/x', 4, true, '{"replace": "yes"}')$$),
    ($$SELECT steep_repl.check_snapshot_path('/srv/x', NULL)$$),
    -- a snapshot run queued another way must still be well-formed
    ($$SELECT steep_repl.submit_job('snapshot.generate', '{"snapshot_id": "snap_20260101_000000_00000000"}')$$),
    ($$SELECT steep_repl.submit_job('snapshot.apply', '{"snapshot_id": "snap_1", "path": "/x", "parallel": 1, "options": {}}')$$)
) AS t(call);
SELECT count(*) = :jobs_before AS nothing_queued FROM steep_repl.work_queue;
-- a snapshot job without a snapshot_id is no run: no history row (its handler refuses it)
SELECT kind, status FROM steep_repl.submit_job('snapshot.apply');
SELECT count(*) AS rows_for_it FROM steep_repl.snapshots s JOIN steep_repl.work_queue w ON w.id = s.job_id
WHERE NOT w.params ? 'snapshot_id';
DELETE FROM steep_repl.work_queue WHERE NOT params ? 'snapshot_id';

-- Valid options of every kind are kept as given.
SELECT options FROM steep_repl.start_snapshot('/srv/snap/opts', 'lz4', 1,
    '{"include_schemas": ["public"], "exclude_schemas": ["tmp"], "include_tables": ["public.t"],
      "exclude_tables": ["public.log"], "keep_slot": true, "slot_name": "steep_snap_1",
      "split_threshold_mb": 64, "checksum": "sha256", "data_format": "binary"}');
SELECT options ->> 'checksum' AS checksum FROM steep_repl.start_snapshot('/srv/snap/crc', 'none', 1,
    '{"checksum": "crc32c"}');

-- File privileges: an ordinary role may not name server paths ...
SET ROLE regress_bob;
SELECT try($$SELECT steep_repl.start_snapshot('/srv/snap/bob')$$);
SELECT try($$SELECT steep_repl.start_apply('/srv/snap/bob')$$);
-- ... not by queuing the job itself either: the work_queue trigger applies the same rule
SELECT try($$INSERT INTO steep_repl.work_queue (kind, params) VALUES ('snapshot.generate',
    '{"snapshot_id": "snap_20260101_000000_0000b0b0", "path": "/srv/snap/bob", "parallel": 1,
      "compression": {"method": "none"}, "options": {}}')$$);
SELECT try($$SELECT steep_repl.submit_job('snapshot.apply',
    '{"snapshot_id": "snap_20260101_000000_0000b0b1", "path": "/srv/snap/bob", "parallel": 1, "verify": true, "options": {}}')$$);
RESET ROLE;
SELECT count(*) AS bobs_jobs FROM steep_repl.work_queue WHERE params ->> 'path' = '/srv/snap/bob';
-- ... unless it holds pg_write_server_files / pg_read_server_files ...
GRANT pg_write_server_files TO regress_bob;
SET ROLE regress_bob;
SELECT op, submitted_by, status FROM steep_repl.start_snapshot('/srv/snap/bob-write');
SELECT try($$SELECT steep_repl.start_apply('/srv/snap/bob-write')$$);
RESET ROLE;
REVOKE pg_write_server_files FROM regress_bob;
GRANT pg_read_server_files TO regress_bob;
SET ROLE regress_bob;
SELECT op, submitted_by, status FROM steep_repl.start_apply('/srv/snap/bob-write');
RESET ROLE;
REVOKE pg_read_server_files FROM regress_bob;
-- ... or the path lies under steep_repl.snapshot_dir, which only a superuser sets.
SET steep_repl.snapshot_dir = '/srv/open/';
SET ROLE regress_bob;
SELECT try($$SET steep_repl.snapshot_dir = '/'$$);
SELECT op, path, status FROM steep_repl.start_snapshot('/srv/open/bob1');
SELECT op, path, status FROM steep_repl.start_apply('/srv/open//bob1/');
-- a kept slot needs the REPLICATION attribute
SELECT try($$SELECT steep_repl.start_snapshot('/srv/open/bob2', 'none', 4, '{"keep_slot": true}')$$);
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl.start_snapshot('/srv/open')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/opener/x')$$),
    ($$SELECT steep_repl.start_snapshot('/srv/open/../etc')$$)
) AS t(call);
RESET ROLE;
SELECT try($$SET steep_repl.snapshot_dir = 'relative/dir'$$);
SELECT try($$SET steep_repl.snapshot_dir = '/srv/../etc'$$);
-- The root directory would put every path under it; "." is not canonical.
SELECT t.value, try(format('SET steep_repl.snapshot_dir = %L', t.value))
FROM (VALUES ('/'), ('//'), ('/srv/./open'), (E'/srv/open\nx')) AS t(value);
-- The value is kept canonical, so SQL and the worker compare against the same directory.
SET steep_repl.snapshot_dir = '//srv//open//';
SHOW steep_repl.snapshot_dir;
SET ROLE regress_bob;
SELECT steep_repl.check_snapshot_path('/srv//open/./bob3/', true);
SELECT try($$SELECT steep_repl.check_snapshot_path('/srv/open', true)$$);
RESET ROLE;
RESET steep_repl.snapshot_dir;
SELECT steep_repl.check_snapshot_path('/a//b/./c/', true);

-- Row-level security: bob sees only his runs, monitors see all, alice none.
SET ROLE regress_bob;
SELECT op, path FROM steep_repl.snapshots ORDER BY created_at, path;
SELECT snapshot_id AS bob_id FROM steep_repl.snapshots WHERE path = '/srv/open/bob1' AND op = 'generate' \gset
SELECT try($$INSERT INTO steep_repl.snapshots (snapshot_id, op, path, parallel, submitted_by)
             VALUES ('snap_20260101_000000_00000000', 'generate', '/x', 1, 'regress_bob')$$);
SELECT try($$UPDATE steep_repl.snapshots SET status = 'complete'$$);
SELECT try($$DELETE FROM steep_repl.snapshots$$);
RESET ROLE;
SET ROLE regress_monitor;
SELECT count(*) > 4 AS sees_all FROM steep_repl.snapshots;
SELECT regexp_replace(try(format('SELECT steep_repl.cancel_snapshot(%L)', :'bob_id')), 'snap_\w+', 'snap_ID');
RESET ROLE;
SET ROLE regress_alice;
SELECT count(*) AS alice_sees FROM steep_repl.snapshots;
SELECT t.fn, regexp_replace(try(format('SELECT steep_repl.%s(%L)', t.fn, :'bob_id')), 'snap_\w+', 'snap_ID')
FROM (VALUES ('cancel_snapshot'), ('snapshot_progress'), ('wait_snapshot')) AS t(fn);
SELECT count(*) AS alice_progress FROM steep_repl.snapshot_progress();
RESET ROLE;
-- bob cancels his own pending run at once
SET ROLE regress_bob;
SELECT status, phase, finished_at IS NOT NULL AS finished FROM steep_repl.cancel_snapshot(:'bob_id');
-- (a NOTICE names the run: it is already cancelled)
SET client_min_messages = warning;
SELECT status FROM steep_repl.cancel_snapshot(:'bob_id');
RESET client_min_messages;
RESET ROLE;

-- Unknown ids.
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl.snapshot_progress('snap_20260101_000000_00000000')$$),
    ($$SELECT steep_repl.cancel_snapshot('nope')$$),
    ($$SELECT steep_repl.cancel_snapshot(NULL)$$),
    ($$SELECT steep_repl.wait_snapshot('nope')$$)
) AS t(call);

-- Play the worker for the first run: claim it, report progress, finish it.
UPDATE steep_repl.work_queue SET run_after = now() + interval '1 hour'
WHERE status = 'pending' AND id <> :gen_job;
SELECT id = :gen_job AS claimed_first FROM steep_repl._claim_job(4242);
SELECT status, phase, started_at IS NOT NULL AS started FROM steep_repl.snapshots WHERE snapshot_id = :'gen_id';
-- running, no report yet: the table's view
SELECT status, phase, percent, current_table, eta FROM steep_repl.snapshot_progress(:'gen_id');
SELECT steep_repl._report_progress(:gen_job, 'snapshot.generate', 'data', 25, 'public.orders',
                                   3, 12, 5000, 1048576, 1000, 1048576) > 0 AS reported;
SELECT op, status, phase, percent, tables_completed, tables_total,
       current_table, rows_done, bytes_done, bytes_per_sec, eta, error_message
FROM steep_repl.snapshot_progress() WHERE snapshot_id = :'gen_id';
SELECT status, count(*) FROM steep_repl.snapshot_progress() GROUP BY status ORDER BY status;
-- heartbeats do not touch the snapshots row
SELECT xmin AS row_version FROM steep_repl.snapshots WHERE snapshot_id = :'gen_id' \gset
SELECT count(*) FROM steep_repl._heartbeat_jobs(ARRAY[:gen_job]::bigint[]);
SELECT xmin = :'row_version' AS unchanged FROM steep_repl.snapshots WHERE snapshot_id = :'gen_id';
SELECT steep_repl._finish_progress(:gen_job);
SELECT status FROM steep_repl._finish_job(:gen_job, 'complete', NULL,
    '{"snapshot_id": "x", "tables_total": 12, "tables_completed": 12, "rows_total": 20000,
      "bytes_total": 4194304, "lsn": "0/1A2B3C4", "slot_name": null, "manifest_sha256": "abc123"}');
SELECT status, phase, tables_total, tables_completed, rows_total, bytes_total, lsn, slot_name,
       manifest_sha256, finished_at >= started_at AS times_in_order
FROM steep_repl.snapshots WHERE snapshot_id = :'gen_id';
SELECT status, phase, percent, tables_completed, tables_total, rows_done, bytes_done,
       bytes_per_sec > 0 AS has_rate, eta
FROM steep_repl.snapshot_progress(:'gen_id');
-- finished runs are not in the default list
SELECT count(*) AS listed FROM steep_repl.snapshot_progress() WHERE snapshot_id = :'gen_id';
SELECT status, phase FROM steep_repl.wait_snapshot(:'gen_id');
SELECT status FROM steep_repl.wait_snapshot(:'gen_id', '0 s');
SET client_min_messages = warning;
SELECT status FROM steep_repl.cancel_snapshot(:'gen_id');
RESET client_min_messages;

-- A failure keeps its error; a malformed result does not block the worker.
SELECT snapshot_id AS fail_id, job_id AS fail_job FROM steep_repl.start_snapshot('/srv/snap/fails') \gset
SELECT id = :fail_job AS claimed FROM steep_repl._claim_job(4242);
SELECT status FROM steep_repl._finish_job(:fail_job, 'failed', 'could not create directory "/srv/snap/fails": Permission denied');
SELECT status, phase, error_message FROM steep_repl.snapshot_progress(:'fail_id');
SELECT snapshot_id AS odd_id, job_id AS odd_job FROM steep_repl.start_apply('/srv/snap/odd') \gset
SELECT id = :odd_job AS claimed FROM steep_repl._claim_job(4242);
-- (a WARNING names the job)
SET client_min_messages = error;
SELECT status FROM steep_repl._finish_job(:odd_job, 'complete', NULL, '{"rows_total": "many", "lsn": "nowhere"}');
RESET client_min_messages;
SELECT status, rows_total, lsn FROM steep_repl.snapshots WHERE snapshot_id = :'odd_id';

-- Cancelling a running run asks the worker; the worker finishes it as cancelled.
SELECT snapshot_id AS run_id, job_id AS run_job FROM steep_repl.start_snapshot('/srv/snap/runs') \gset
SELECT id = :run_job AS claimed FROM steep_repl._claim_job(4242);
SELECT status FROM steep_repl.cancel_snapshot(:'run_id');
SELECT cancel_requested FROM steep_repl.work_queue WHERE id = :run_job;
SELECT status FROM steep_repl._finish_job(:run_job, 'cancelled');
SELECT status, phase FROM steep_repl.snapshots WHERE snapshot_id = :'run_id';

-- wait_snapshot: a timeout raises 57014, the run goes on; it refuses what it could never see.
SELECT snapshot_id AS wait_id FROM steep_repl.start_snapshot('/srv/snap/wait') \gset
-- (query_canceled is not caught by WHEN OTHERS: it must be named)
DO $$
BEGIN
    PERFORM steep_repl.wait_snapshot((SELECT snapshot_id FROM steep_repl.snapshots WHERE path = '/srv/snap/wait'), '0.3 s');
EXCEPTION WHEN query_canceled THEN
    RAISE NOTICE '%: %', SQLSTATE, regexp_replace(SQLERRM, 'snap_\w+', 'snap_ID');
END;
$$;
SELECT status FROM steep_repl.snapshots WHERE snapshot_id = :'wait_id';
SELECT try(format('SELECT steep_repl.wait_snapshot(%L, %L)', :'wait_id', '-1 s'));
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT try(format('SELECT steep_repl.wait_snapshot(%L)', :'wait_id'));
COMMIT;
BEGIN;
SELECT snapshot_id AS same_txn_id FROM steep_repl.start_snapshot('/srv/snap/same-txn') \gset
SELECT regexp_replace(try(format('SELECT steep_repl.wait_snapshot(%L)', :'same_txn_id')), 'snap_\w+', 'snap_ID');
ROLLBACK;

-- Pruned jobs leave the history.
DELETE FROM steep_repl.work_queue WHERE id = :gen_job;
SELECT job_id, status FROM steep_repl.snapshots WHERE snapshot_id = :'gen_id';

-- Clean up for the next tests.
DELETE FROM steep_repl.snapshots;
DELETE FROM steep_repl.work_queue;
