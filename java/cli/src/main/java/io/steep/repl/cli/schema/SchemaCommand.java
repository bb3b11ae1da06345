package io.steep.repl.cli.schema;

import picocli.CommandLine.Command;

/** {@code steep-repl schema}: table fingerprints and comparisons between nodes. */
@Command(name = "schema",
        description = "Fingerprint table structures and compare them between nodes.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SchemaCaptureCommand.class, SchemaCompareCommand.class, SchemaDiffCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl schema compare node-a node-b -c \"host=db1 dbname=app\"",
                "  steep-repl schema diff --table public.orders node-a node-b"})
public final class SchemaCommand {
}
