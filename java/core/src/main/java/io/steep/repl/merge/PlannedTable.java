package io.steep.repl.merge;

/**
 * One table of a merge as steep_repl._merge_plan orders it (parents before children).
 *
 * @param name            as the submitter named it (options are keyed by it)
 * @param relation        schema-qualified and quoted, as the peer resolves it
 * @param timestampColumn the last-modified column, or null (commit timestamps, or not last-modified)
 */
record PlannedTable(String name, String relation, String strategy, String timestampColumn,
        boolean selfReferencing) {
}
