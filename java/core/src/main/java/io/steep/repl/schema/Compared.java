package io.steep.repl.schema;

/**
 * A comparison with the names of its two sides, as shown to people (passwords masked).
 *
 * @param local  the side the statuses call local
 * @param remote the side the statuses call remote
 */
public record Compared(String local, String remote, SchemaComparison comparison) {
}
