package io.steep.repl.cli.snapshot;

import picocli.CommandLine.Command;

/** {@code steep-repl snapshot}: consistent copies of a database, generated and applied as background jobs. */
@Command(name = "snapshot",
        description = "Generate a snapshot of a database into a server directory, apply one to another "
                + "database, and follow, cancel, list or verify snapshot runs.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SnapshotGenerateCommand.class, SnapshotApplyCommand.class, SnapshotProgressCommand.class,
                SnapshotCancelCommand.class, SnapshotListCommand.class, SnapshotVerifyCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl snapshot generate node-a --output /srv/snap/shop --compression zstd -c \"host=db1\"",
                "  steep-repl snapshot apply node-b --input /srv/snap/shop -c \"host=db2\"",
                "  steep-repl snapshot verify /srv/snap/shop"})
public final class SnapshotCommand {
}
