package io.steep.repl.cli.daemon;

import picocli.CommandLine.Command;

/** {@code steep-repl daemon}: the gRPC daemon that serves {@code --remote} clients. */
@Command(name = "daemon",
        description = "Run the steep-repl daemon (gRPC for --remote clients, HTTP health endpoints, a local "
                + "status socket), show its status, and write its first TLS certificates. docs/daemon.md has the "
                + "config reference and the security model.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {DaemonRunCommand.class, DaemonStatusCommand.class, DaemonTlsCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl daemon tls init --dir /etc/steep-repl/tls --host db1.example.com",
                "  steep-repl daemon run --config /etc/steep-repl/daemon.yaml",
                "  steep-repl daemon status"})
public final class DaemonCommand {
}
