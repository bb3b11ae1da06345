package io.steep.repl.overlap;

import java.util.function.ToLongFunction;

/** The kinds of unequal rows a kept analysis lists (steep_repl.overlap_keys.category). */
public enum OverlapCategory {
    CONFLICT("conflict", OverlapRow::conflicts),
    LOCAL_ONLY("local_only", OverlapRow::localOnly),
    REMOTE_ONLY("remote_only", OverlapRow::remoteOnly);

    private final String id;
    private final ToLongFunction<OverlapRow> count;

    OverlapCategory(String id, ToLongFunction<OverlapRow> count) {
        this.id = id;
        this.count = count;
    }

    /** The name SQL uses. */
    public String id() {
        return id;
    }

    /** How many rows of a table's analysis fall in this category. */
    public long count(OverlapRow row) {
        return count.applyAsLong(row);
    }
}
