package io.steep.repl.cli.overlap;

import picocli.CommandLine.Command;

/** {@code steep-repl overlap}: rows of the same tables on two nodes, compared. */
@Command(name = "overlap",
        description = "Compare the rows of tables that hold data on two nodes.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {OverlapAnalyzeCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl overlap analyze --peer \"host=db2 dbname=app\" public.users -c \"host=db1 dbname=app\""})
public final class OverlapCommand {
}
