package io.steep.repl.overlap;

import java.util.List;

/**
 * The keys of one table's rows in one category, as {@code overlap --detail} shows them.
 *
 * @param total how many rows the category holds; {@code keys} may list fewer (--limit)
 */
public record OverlapDetail(String tableName, String category, long total, List<String> keys) {
}
