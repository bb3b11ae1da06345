package io.steep.repl.worker;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.util.Map;

/**
 * What the supervisor tells the worker through its (otherwise empty) environment: where the
 * server's Unix socket is, where to look for the databases to serve and as whom, what to tell
 * the jobs a previous worker left running, and when the fork happened.
 *
 * @param socketDirectory  first entry of unix_socket_directories (STEEP_PGHOST)
 * @param port             the server port (STEEP_PGPORT)
 * @param database         the maintenance database, connected to for a moment to list the
 *                         databases (STEEP_PGDATABASE)
 * @param user             the bootstrap superuser (STEEP_PGUSER)
 * @param supervisorPid    the supervisor background worker (STEEP_SUPERVISOR_PID)
 * @param forkEpochMicros  microseconds since the epoch at fork (STEEP_FORK_EPOCH_US)
 * @param orphanReason     why jobs left running failed (STEEP_ORPHAN_REASON; optional)
 */
public record WorkerEnvironment(
        String socketDirectory, int port, String database, String user, long supervisorPid, long forkEpochMicros,
        String orphanReason) {

    /** What a job left running hears when the supervisor gave no reason. */
    static final String DEFAULT_ORPHAN_REASON = "java worker restarted while the job was running";

    private static final String HINT = "The worker is started by the steep_repl supervisor inside PostgreSQL "
            + "(shared_preload_libraries = 'steep_repl'); it is not meant to be run by hand.";

    /** Reads and checks the STEEP_* variables; a missing or malformed one is a usage error. */
    public static WorkerEnvironment from(Map<String, String> env) {
        String socketDirectory = required(env, "STEEP_PGHOST");
        if (!socketDirectory.startsWith("/")) {
            throw invalid("STEEP_PGHOST", socketDirectory, "an absolute socket directory");
        }
        int port = (int) number(env, "STEEP_PGPORT", 1, 65535);
        String database = required(env, "STEEP_PGDATABASE");
        String user = required(env, "STEEP_PGUSER");
        long supervisorPid = number(env, "STEEP_SUPERVISOR_PID", 1, Integer.MAX_VALUE);
        long forkEpochMicros = number(env, "STEEP_FORK_EPOCH_US", 1, Long.MAX_VALUE);
        String orphanReason = env.getOrDefault("STEEP_ORPHAN_REASON", "");
        return new WorkerEnvironment(socketDirectory, port, database, user, supervisorPid, forkEpochMicros,
                orphanReason.isBlank() ? DEFAULT_ORPHAN_REASON : orphanReason);
    }

    /** The server's socket file, e.g. {@code /run/postgresql/.s.PGSQL.5432}. */
    public String socketPath() {
        String dir = socketDirectory.endsWith("/") ? socketDirectory : socketDirectory + "/";
        return dir + ".s.PGSQL." + port;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new SteepReplException(ErrorCode.USAGE, "environment variable " + name + " is not set", HINT);
        }
        return value;
    }

    private static long number(Map<String, String> env, String name, long min, long max) {
        String text = required(env, name);
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw invalid(name, text, "a number between " + min + " and " + max);
    }

    private static SteepReplException invalid(String name, String value, String expected) {
        return new SteepReplException(ErrorCode.USAGE,
                "environment variable " + name + " is '" + value + "', expected " + expected, HINT);
    }
}
