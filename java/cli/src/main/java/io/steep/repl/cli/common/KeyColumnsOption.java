package io.steep.repl.cli.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --key-columns TABLE=COL[,COL...]}: how rows are paired when not by primary key (overlap, merge). */
public final class KeyColumnsOption {

    @Option(names = "--key-columns", paramLabel = "TABLE=COL[,COL...]",
            description = "Pair the rows of TABLE by these columns instead of its primary key (repeatable).")
    List<String> entries = new ArrayList<>();

    /** The key columns by table; a malformed entry is a usage error. */
    public Map<String, List<String>> byTable(Function<String, ? extends RuntimeException> usage) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        TableAssignments.parse("--key-columns", entries, "COL[,COL...]", usage).forEach((table, value) -> {
            List<String> columns = new ArrayList<>();
            for (String column : value.split(",", -1)) {
                if (column.isBlank()) {
                    throw usage.apply("--key-columns " + table + "=" + value + " names an empty column");
                }
                columns.add(column.strip());
            }
            keys.put(table, columns);
        });
        return keys;
    }
}
