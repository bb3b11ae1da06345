package io.steep.repl.cli.daemon;

import picocli.CommandLine.Command;

/** {@code steep-repl daemon tls}: certificates for the daemon. */
@Command(name = "tls",
        description = "Certificates for the daemon's TLS and mTLS.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {DaemonTlsInitCommand.class},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl daemon tls init --dir /etc/steep-repl/tls --host db1.example.com")
public final class DaemonTlsCommand {
}
