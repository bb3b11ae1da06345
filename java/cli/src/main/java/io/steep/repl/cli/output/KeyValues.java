package io.steep.repl.cli.output;

import java.util.ArrayList;
import java.util.List;

/** A block of {@code key: value} lines with the values aligned; null values are left out. */
public final class KeyValues {
    private final List<String[]> pairs = new ArrayList<>();

    public KeyValues add(String key, Object value) {
        if (value != null) {
            pairs.add(new String[] {key, value.toString()});
        }
        return this;
    }

    public List<String> lines() {
        int width = pairs.stream().mapToInt(p -> p[0].length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (String[] pair : pairs) {
            lines.add(pair[0] + ":" + " ".repeat(width - pair[0].length() + 1) + pair[1]);
        }
        return lines;
    }
}
