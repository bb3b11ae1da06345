package io.steep.repl.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * How long this process has existed, for the start line. ProcessHandle's start instant adds the
 * boot time, which Linux gives in whole seconds; /proc/uptime and the process's start tick are
 * both counted from boot, in hundredths of a second.
 */
final class ProcessAge {
    /** Linux reports /proc times in USER_HZ ticks, 100 a second on every architecture it runs on. */
    private static final int TICKS_PER_SECOND = 100;

    private ProcessAge() {
    }

    static long millis() {
        try {
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Field 22 (starttime); fields are counted after the command name, which may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]);
            return Math.round(uptimeSeconds * 1000) - startTicks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException notLinux) {
            return ProcessHandle.current().info().startInstant()
                    .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
        }
    }
}
