package io.steep.repl.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings every session the worker opens on its own server starts with, whatever the
 * database owner put in {@code ALTER DATABASE ... SET} or {@code ALTER ROLE ... SET}: startup
 * options outrank both. {@code search_path} keeps an owner's shadow types and functions out of
 * the worker's statements; the output styles keep snapshot data in one text form whatever the
 * database defaults are; the timeouts and transaction defaults keep the worker working.
 */
public final class PinnedSettings {
    static final Map<String, String> SETTINGS = settings();

    private PinnedSettings() {
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("search_path", "pg_catalog,pg_temp");
        s.put("DateStyle", "ISO");
        s.put("IntervalStyle", "postgres");
        s.put("extra_float_digits", "3");
        s.put("bytea_output", "hex");
        s.put("statement_timeout", "0");
        s.put("lock_timeout", "0");
        s.put("idle_in_transaction_session_timeout", "0");
        s.put("default_transaction_read_only", "off");
        s.put("default_transaction_isolation", "read committed");
        s.put("row_security", "on");
        return s;
    }

    /**
     * The settings as a startup {@code options} value ({@code -c name=value ...}), which both
     * pgjdbc's {@code options} property and libpq's {@code PGOPTIONS} take; a space or backslash in
     * a value is escaped with a backslash.
     */
    public static String startupOptions() {
        return SETTINGS.entrySet().stream()
                .map(e -> "-c " + e.getKey() + "=" + escape(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** libpq splits PGOPTIONS (and the server its options) at white space unless escaped. */
    public static String escape(String value) {
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
