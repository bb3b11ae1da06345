-- steep_repl install script, generated from the files under extension/sql/.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION steep_repl" to load this file. \quit

-- CREATE EXTENSION creates the schema named in the control file.
GRANT USAGE ON SCHEMA steep_repl TO PUBLIC;

COMMENT ON SCHEMA steep_repl IS
    'steep-repl: node registry, background job queue and progress, health';
