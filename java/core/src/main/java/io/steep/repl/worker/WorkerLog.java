package io.steep.repl.worker;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The worker's log. Its stderr is the postmaster's, so lines land in the server log without the
 * server's prefix; each line therefore carries its own time, pid and a fixed tag to grep for.
 */
final class WorkerLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'");
    private static final long PID = ProcessHandle.current().pid();

    private WorkerLog() {
    }

    static void info(String message) {
        write("LOG", message);
    }

    static void warning(String message) {
        write("WARNING", message);
    }

    static void error(String message) {
        write("ERROR", message);
    }

    private static void write(String level, String message) {
        PrintStream err = System.err;
        err.println(ZonedDateTime.now(ZoneOffset.UTC).format(TIME) + " [" + PID + "] steep_repl worker: "
                + level + ":  " + message);
    }
}
