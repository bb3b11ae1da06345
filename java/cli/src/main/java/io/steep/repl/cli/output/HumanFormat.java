package io.steep.repl.cli.output;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Timestamps and durations the way a person reads them in a terminal. */
public final class HumanFormat {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private HumanFormat() {
    }

    /** In the local time zone, to the second; null stays null. */
    public static String timestamp(OffsetDateTime value) {
        return value == null ? null : value.atZoneSameInstant(ZoneId.systemDefault()).format(TIMESTAMP);
    }

    /** {@code 850ms}, {@code 12s}, {@code 3m 04s}, {@code 2h 05m}, {@code 3d 04h}; null stays null. */
    public static String duration(Duration value) {
        if (value == null) {
            return null;
        }
        long millis = value.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = value.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd %02dh", seconds / 86400, seconds % 86400 / 3600);
    }
}
