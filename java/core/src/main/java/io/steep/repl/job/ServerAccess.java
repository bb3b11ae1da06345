package io.steep.repl.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a subprocess of a job (pg_dump, psql) reaches the job's server: the worker's Unix
 * socket, its database and bootstrap superuser (peer authentication, no password), and the
 * role the subprocess must assume so that it has no more privileges than the submitter.
 *
 * @param socketDirectory the server's Unix socket directory
 * @param role            the job's submitting role
 */
public record ServerAccess(String socketDirectory, int port, String database, String superuser, String role) {

    /**
     * The libpq environment for a subprocess: PGHOST, PGPORT, PGDATABASE, PGUSER, PGAPPNAME and
     * {@code PGOPTIONS=-c role=<role>}, which makes the session run as the role from its start.
     */
    public Map<String, String> libpqEnvironment(String applicationName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", socketDirectory);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", superuser);
        env.put("PGAPPNAME", applicationName);
        env.put("PGOPTIONS", "-c role=" + escapeOption(role));
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    /** libpq splits PGOPTIONS at white space unless it is escaped with a backslash. */
    static String escapeOption(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || Character.isWhitespace(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
