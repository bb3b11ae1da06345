package io.steep.repl.cli.jobs;

import picocli.CommandLine.Command;

/** {@code steep-repl jobs}: background jobs run by the extension's worker. */
@Command(name = "jobs",
        description = "Submit, list, show and cancel background jobs.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {JobsListCommand.class, JobsShowCommand.class, JobsCancelCommand.class, JobsSubmitCommand.class},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl jobs list --status running -c \"host=db1 dbname=app\"")
public final class JobsCommand {
}
