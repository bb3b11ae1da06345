-- Job progress slots in shared memory (steep_repl.max_job_slots = 4 here).
\set SHOW_CONTEXT never

SELECT count(*) FROM steep_repl.job_progress();

-- The first report claims a free slot: generation 1.
SELECT steep_repl._report_progress(101, 'test.sleep', 'copy', 12.5, 'public.t1',
                                   1, 8, 1000, 65536, 250.0, 16384.0);
SELECT job_id, kind, phase, percent, items_done, items_total, rows_done, bytes_done,
       current_item, rows_per_sec, bytes_per_sec, cancel_requested,
       reporter_pid = pg_backend_pid() AS reported_here,
       started_at <= updated_at AS times_in_order, generation
FROM steep_repl.job_progress();

-- Later reports overwrite the same slot; NULL numbers count as 0.
SELECT started_at AS first_started_at FROM steep_repl.job_progress(101) \gset
SELECT steep_repl._report_progress(101, 'test.sleep', 'index', 50, NULL,
                                   NULL, 8, 4000, 262144, NULL, 20000, true);
SELECT job_id, phase, percent, items_done, current_item, rows_per_sec, cancel_requested,
       started_at = :'first_started_at' AS started_at_kept, generation
FROM steep_repl.job_progress(101);

-- Not transactional: a rolled-back report stays.
BEGIN;
SELECT steep_repl._report_progress(102, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
ROLLBACK;
SELECT job_id, phase FROM steep_repl.job_progress() ORDER BY job_id;
SELECT job_id FROM steep_repl.job_progress(999);

-- Finishing frees the slot; a freed slot is claimed again with a new generation.
SELECT steep_repl._finish_progress(101);
SELECT steep_repl._finish_progress(101);
SELECT steep_repl._report_progress(103, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT job_id, generation FROM steep_repl.job_progress() ORDER BY job_id;

-- All 4 slots in use: the next job gets a clear error.
SELECT steep_repl._report_progress(104, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT steep_repl._report_progress(105, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT steep_repl._report_progress(106, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT try(sql) FROM (VALUES ($$SELECT steep_repl._report_progress(106, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0)$$)) AS t(sql);
-- a job that has a slot can still report
SELECT steep_repl._report_progress(104, 'test.sleep', 'running', 10, NULL, 0, 0, 0, 0, 0, 0);
SELECT steep_repl._finish_progress(102);
SELECT steep_repl._report_progress(106, 'test.sleep', 'start', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT job_id, phase, generation FROM steep_repl.job_progress() ORDER BY job_id;

-- Bad inputs.
SELECT t.call, try(t.call)
FROM (VALUES
    ($$SELECT steep_repl._report_progress(0, 'k', 'p', 0, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._report_progress(NULL, 'k', 'p', 0, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._report_progress(1, NULL, 'p', 0, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._report_progress(1, 'k', 'p', -1, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._report_progress(1, 'k', 'p', 100.5, NULL, 0, 0, 0, 0, 0, 0)$$),
    ($$SELECT steep_repl._report_progress(1, 'k', 'p', 'NaN', NULL, 0, 0, 0, 0, 0, 0)$$)
) AS t(call);

-- Text longer than its slot buffer is cut, never inside a character.
SELECT steep_repl._report_progress(104, repeat('k', 100), repeat('p', 100), 10,
                                   repeat('é', 300), 0, 0, 0, 0, 0, 0);
SELECT length(kind) AS kind_length, length(phase) AS phase_length,
       octet_length(current_item) AS item_bytes, length(current_item) AS item_characters,
       current_item = repeat('é', length(current_item)) AS item_intact
FROM steep_repl.job_progress(104);

-- Only the worker may write progress; a job of unknown role (reported
-- without p_role) is hidden from other roles.
SET ROLE regress_bob;
SELECT count(*) FROM steep_repl.job_progress();
SELECT steep_repl._report_progress(104, 'k', 'p', 0, NULL, 0, 0, 0, 0, 0, 0);
SELECT steep_repl._finish_progress(104);
RESET ROLE;

SELECT steep_repl._finish_progress(job_id) FROM steep_repl.job_progress() ORDER BY job_id;
SELECT count(*) FROM steep_repl.job_progress();

-- A role sees the progress of the jobs of roles whose privileges it has;
-- superusers and pg_read_all_stats see all.  The submitter is recorded by
-- the first report and kept.
CREATE ROLE regress_stats_reader IN ROLE pg_read_all_stats;
SELECT steep_repl._report_progress(201, 'k', 'alice''s', 0, NULL, 0, 0, 0, 0, 0, 0, false, 'regress_alice'::regrole) > 0;
SELECT steep_repl._report_progress(202, 'k', 'bob''s', 0, NULL, 0, 0, 0, 0, 0, 0, false, 'regress_bob'::regrole) > 0;
SELECT steep_repl._report_progress(203, 'k', 'team''s', 0, NULL, 0, 0, 0, 0, 0, 0, false, 'regress_team'::regrole) > 0;
SELECT steep_repl._report_progress(204, 'k', 'unknown', 0, NULL, 0, 0, 0, 0, 0, 0) > 0;
SELECT steep_repl._report_progress(201, 'k', 'alice''s', 5, NULL, 0, 0, 0, 0, 0, 0, false, 'regress_bob'::regrole) > 0;
SET ROLE regress_alice;  -- a member of regress_team
SELECT job_id, phase FROM steep_repl.job_progress() ORDER BY job_id;
SELECT job_id FROM steep_repl.job_progress(202);
RESET ROLE;
SET ROLE regress_bob;
SELECT job_id, phase FROM steep_repl.job_progress() ORDER BY job_id;
SELECT job_id FROM steep_repl.job_progress(201);
RESET ROLE;
SET ROLE regress_stats_reader;
SELECT job_id, phase FROM steep_repl.job_progress() ORDER BY job_id;
RESET ROLE;
SELECT job_id, phase FROM steep_repl.job_progress() ORDER BY job_id;
SELECT steep_repl._finish_progress(job_id) FROM steep_repl.job_progress() ORDER BY job_id;
DROP ROLE regress_stats_reader;

-- A session waiting for a run (wait_snapshot, wait_merge) sleeps until a job
-- ends: the worker's _finish_progress, which comes after the job's outcome
-- has committed, wakes it at once, however long its poll interval.
CREATE EXTENSION dblink;
CREATE FUNCTION regress_await_job_end(p_seconds double precision) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    v_start timestamptz := clock_timestamp();
BEGIN
    PERFORM steep_repl._mark_job_ends();
    PERFORM steep_repl._await_job_end(p_seconds);
    RETURN extract(epoch FROM clock_timestamp() - v_start);
END;
$$;
SELECT dblink_connect('waiter', 'service=regress_self dbname=postgres user=postgres application_name=regress_waiter');
SELECT dblink_send_query('waiter', 'SELECT regress_await_job_end(60)');
DO $$
BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN EXISTS (SELECT FROM pg_stat_activity
                          WHERE application_name = 'regress_waiter' AND wait_event_type = 'Extension');
        PERFORM pg_sleep(0.05);
    END LOOP;
END;
$$;
SELECT steep_repl._finish_progress(999);   -- no slot, but a job ended all the same
SELECT waited < 30 AS woken_before_its_timeout FROM dblink_get_result('waiter') AS t(waited double precision);
SELECT dblink_disconnect('waiter');
-- Only the worker announces an end: an ordinary role cannot wake the waiters.
SET ROLE regress_bob;
SELECT try($$SELECT steep_repl._finish_progress(999)$$);
RESET ROLE;
-- Without an end, it sleeps its whole interval; a negative or NaN one returns at once.
SELECT regress_await_job_end(0.2) >= 0.2 AS slept_the_interval;
SELECT regress_await_job_end(-1) < 1 AS negative, regress_await_job_end('NaN') < 1 AS nan;
DROP FUNCTION regress_await_job_end(double precision);
DROP EXTENSION dblink;
