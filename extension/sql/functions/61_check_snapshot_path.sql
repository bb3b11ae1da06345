CREATE FUNCTION steep_repl.check_snapshot_path(p_path text, p_for_write boolean, p_role regrole DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_path text;
    v_dir text;
    v_role text := CASE WHEN p_for_write THEN 'pg_write_server_files' ELSE 'pg_read_server_files' END;
BEGIN
    /*
     * The early, readable check of a snapshot directory named by the
     * caller.  Returns the path with repeated "/", "." components and a
     * trailing "/" removed.  Without the file privilege the rule is: that
     * path lies strictly inside steep_repl.snapshot_dir (kept canonical by
     * its check hook, never "/").  The worker applies the same rule to the
     * same path, and also to the real paths of both (symlinks resolved)
     * before it touches the file system, so a link cannot lead out.
     * p_role: whose privilege counts (the current user when NULL); the
     * work_queue trigger checks a job's path for its submitter, so that a
     * job queued by a plain INSERT is held to the same rule.
     */
    IF p_for_write IS NULL THEN
        RAISE EXCEPTION 'p_for_write must not be NULL'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_path IS NULL OR p_path = '' THEN
        RAISE EXCEPTION 'snapshot path is missing'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the absolute path of a directory on the database server, e.g. /var/lib/steep-repl/snapshots/shop.';
    END IF;
    IF p_path ~ '[\n\r]' THEN
        RAISE EXCEPTION 'snapshot path % contains a line break', quote_literal(p_path)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A snapshot path is one line.';
    END IF;
    IF length(p_path) > 1024 THEN
        RAISE EXCEPTION 'snapshot path is longer than 1024 characters'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Choose a shorter directory name.';
    END IF;
    IF left(p_path, 1) <> '/' THEN
        RAISE EXCEPTION 'snapshot path "%" is not absolute', p_path
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the absolute path of a directory on the database server, e.g. /var/lib/steep-repl/snapshots/shop.';
    END IF;
    IF p_path ~ '(^|/)\.\.(/|$)' THEN
        RAISE EXCEPTION 'snapshot path "%" contains a ".." component', p_path
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Name the directory without "..".';
    END IF;

    v_path := regexp_replace(p_path, '/+', '/', 'g');
    v_path := regexp_replace(v_path, '/\.(?=/|$)', '', 'g');
    v_path := regexp_replace(v_path, '/$', '');
    IF v_path = '' THEN
        RAISE EXCEPTION 'snapshot path "%" is the root directory', p_path
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Name a directory of its own for each snapshot.';
    END IF;

    -- Superusers have the privileges of every role.
    IF pg_has_role(coalesce(p_role, steep_repl._current_role()), v_role, 'USAGE') THEN
        RETURN v_path;
    END IF;
    -- Canonical again: a session that has not loaded the library sees the raw placeholder.
    v_dir := regexp_replace(regexp_replace(coalesce(current_setting('steep_repl.snapshot_dir', true), ''),
                                           '/+', '/', 'g'), '/$', '');
    IF v_dir <> '' AND left(v_path, length(v_dir) + 1) = v_dir || '/' THEN
        RETURN v_path;
    END IF;
    RAISE EXCEPTION 'permission denied to % snapshot files in "%"',
                    CASE WHEN p_for_write THEN 'write' ELSE 'read' END, v_path
        USING ERRCODE = 'insufficient_privilege',
              HINT = CASE
                         WHEN v_dir = '' THEN format('This needs membership in %s; steep_repl.snapshot_dir is not set.', v_role)
                         ELSE format('This needs membership in %s, or a path under steep_repl.snapshot_dir (%s).', v_role, v_dir)
                     END;
END;
$$;

COMMENT ON FUNCTION steep_repl.check_snapshot_path(text, boolean, regrole) IS
    'Checks that the current role may write (or read) a snapshot directory: an absolute path without "..", and pg_write_server_files (pg_read_server_files) or a path under steep_repl.snapshot_dir; returns the normalised path';
