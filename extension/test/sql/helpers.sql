-- Helpers for the other tests; run first in both suites.

-- Shows SQLSTATE, message and hint of a failing statement, or 'ok'.
CREATE FUNCTION public.try(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
    v_hint text;
BEGIN
    EXECUTE p_sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE,
                            v_message = MESSAGE_TEXT,
                            v_hint = PG_EXCEPTION_HINT;
    RETURN v_state || ': ' || v_message
        || CASE WHEN v_hint <> '' THEN ' HINT: ' || v_hint ELSE '' END;
END;
$$;
