package io.steep.repl.schema;

/**
 * One table of a comparison, with the names of the two sides (the --json document of
 * {@code schema diff}).
 */
public record TableDiff(String local, String remote, TableComparison table) {
}
