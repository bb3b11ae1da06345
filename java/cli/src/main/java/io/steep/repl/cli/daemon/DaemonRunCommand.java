package io.steep.repl.cli.daemon;

import io.steep.repl.cli.SteepRepl;
import io.steep.repl.daemon.config.DaemonDefaults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steep-repl daemon run}: runs the daemon in the foreground until SIGTERM. */
@Command(name = "run",
        description = {"Run the daemon in the foreground until SIGTERM (or Ctrl-C): gRPC on " + DaemonDefaults.ADDRESS
                + ":" + DaemonDefaults.GRPC_PORT + ", HTTP /health, /livez and /readyz on " + DaemonDefaults.ADDRESS + ":"
                + DaemonDefaults.HTTP_PORT + ", and the status socket. Every call runs "
                + "against the PostgreSQL of postgres.connection, as its role.",
                "The config comes from --config FILE (YAML), then STEEP_REPL_DAEMON_* variables over it, then "
                        + "flags over both. A bad config starts nothing: exit 2 and a message naming the key. "
                        + "Plaintext gRPC on an address other than loopback is refused without --insecure.",
                "Logs go to stderr: a line when it starts (where it listens, TLS or not, the redacted "
                        + "PostgreSQL target, the start time) and when it stops."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl daemon run --config /etc/steep-repl/daemon.yaml",
                "  STEEP_REPL_DAEMON_POSTGRES_CONNECTION='host=/var/run/postgresql dbname=app' \\",
                "      steep-repl daemon run",
                "",
                "Exit codes: 0 stopped by SIGTERM or SIGINT (open calls get shutdown_grace, then end",
                "with UNAVAILABLE), 1 cannot start (e.g. port in use), 2 bad config."})
public final class DaemonRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The YAML config file (docs/daemon.md); without it, variables and defaults.")
    Path config;

    @Option(names = "--insecure",
            description = "Allow plaintext gRPC on an address other than loopback (no TLS: calls and tokens "
                    + "cross the network readable). Same as insecure: true.")
    boolean insecure;

    @Override
    public Integer call() throws InterruptedException {
        SteepRepl root = SteepRepl.of(spec);
        DaemonRun.run(root.environment(), root.output(spec.commandLine()), config, insecure);
        return 0;
    }
}
