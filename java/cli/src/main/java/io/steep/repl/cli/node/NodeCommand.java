package io.steep.repl.cli.node;

import picocli.CommandLine.Command;

/** {@code steep-repl node}: the node registry. */
@Command(name = "node",
        description = "Register nodes, record heartbeats and show their status.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NodeRegisterCommand.class, NodeHeartbeatCommand.class, NodeStatusCommand.class,
                NodeDeregisterCommand.class},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl node status -c \"host=db1 dbname=app\"")
public final class NodeCommand {
}
