CREATE FUNCTION steep_repl.redact_conninfo(p_text text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    /*
     * Masks passwords in a connection string, a URI or any text that quotes
     * one (error messages): password=... (quoted or not) and the secret of
     * scheme://user:secret@.
     */
    SELECT regexp_replace(
               regexp_replace(p_text,
                              '(password[[:space:]]*=[[:space:]]*)(''([^''\\]|\\.)*''?|[^[:space:]&''"]*)',
                              '\1********', 'gi'),
               '(://[^[:space:]:/@]*):[^[:space:]]*@', '\1:********@', 'g');
$$;

COMMENT ON FUNCTION steep_repl.redact_conninfo(text) IS
    'The text with every password of a connection string or URI in it masked';
