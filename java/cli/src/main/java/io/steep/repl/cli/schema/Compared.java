package io.steep.repl.cli.schema;

import io.steep.repl.schema.SchemaComparison;

/**
 * A comparison with the names of its two sides, as shown to people (passwords masked).
 *
 * @param local  the side the statuses call local
 * @param remote the side the statuses call remote
 */
record Compared(String local, String remote, SchemaComparison comparison) {
}
