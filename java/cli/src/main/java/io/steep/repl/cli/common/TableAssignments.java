package io.steep.repl.cli.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Repeatable {@code TABLE=VALUE} options (--key-columns, --strategy-for, --last-modified-column)
 * as a map by table. Only the form is checked here; what a value may be is the SQL function's
 * to say.
 */
public final class TableAssignments {
    private TableAssignments() {
    }

    /**
     * @param option  the option's name, for messages
     * @param entries the values as given
     * @param form    how a value is written, for messages (e.g. {@code COL[,COL...]})
     * @param usage   turns a problem into the command's usage error
     */
    public static Map<String, String> parse(String option, List<String> entries, String form,
            Function<String, ? extends RuntimeException> usage) {
        Map<String, String> byTable = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank() || entry.substring(eq + 1).isBlank()) {
                throw usage.apply(option + " takes TABLE=" + form + ", not '" + entry + "'");
            }
            String table = entry.substring(0, eq).strip();
            if (byTable.put(table, entry.substring(eq + 1).strip()) != null) {
                throw usage.apply(option + " names " + table + " more than once");
            }
        }
        return byTable;
    }
}
