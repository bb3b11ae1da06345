package io.steep.repl.job;

import io.steep.repl.jdbc.PinnedSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a subprocess of a job (pg_dump, psql) reaches the job's server: the worker's Unix
 * socket, its database and bootstrap superuser (peer authentication, no password), the job,
 * and the role it runs for.
 *
 * @param socketDirectory the server's Unix socket directory
 * @param role            the job's submitting role, by name
 * @param jobId           the job, whose row names the submitter by OID
 */
public record ServerAccess(String socketDirectory, int port, String database, String superuser, String role,
        long jobId) {

    /**
     * The libpq environment for pg_dump: PGHOST, PGPORT, PGDATABASE, PGUSER, PGAPPNAME and
     * PGOPTIONS with the worker's pinned settings and {@code -c role=<role>}, which makes the
     * session run as the role from its start. pg_dump only reads the catalogs (schema only) and
     * evaluates none of the role's code, so {@code SET ROLE} bounds what it can see.
     */
    public Map<String, String> libpqEnvironment(String applicationName) {
        Map<String, String> env = baseEnvironment(applicationName);
        env.put("PGOPTIONS", PinnedSettings.startupOptions() + " -c role=" + PinnedSettings.escape(role));
        return env;
    }

    /**
     * The libpq environment for a session that runs SQL from a snapshot (psql): it logs in as the
     * superuser without a role, and must run {@link #enterStatement()} alone first, which makes it
     * the submitter inside a security-restricted operation (see {@link JobSession}).
     */
    public Map<String, String> scriptEnvironment(String applicationName) {
        Map<String, String> env = baseEnvironment(applicationName);
        env.put("PGOPTIONS", PinnedSettings.startupOptions());
        return env;
    }

    /** The first statement of a {@link #scriptEnvironment} session. */
    public String enterStatement() {
        return JobSession.enterStatement(jobId);
    }

    private Map<String, String> baseEnvironment(String applicationName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", socketDirectory);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", superuser);
        env.put("PGAPPNAME", applicationName);
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }
}
