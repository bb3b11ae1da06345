package io.steep.repl.cli.daemon;

import io.steep.repl.cli.SteepRepl;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steep-repl daemon status}: what the running daemon says on its status socket. */
@Command(name = "status",
        description = "Show the running daemon's status from its local socket: version, pid, uptime, where it "
                + "listens, TLS and mTLS, the PostgreSQL target (password masked) and whether it answers, "
                + "open calls. Only the daemon's OS user (and root) may read the socket.",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl daemon status",
                "  steep-repl daemon status --socket /run/steep-repl/daemon.sock --json",
                "",
                "Exit codes: 0 the daemon runs and PostgreSQL is ready, 1 the daemon runs but its",
                "PostgreSQL is not ready, 6 no daemon answers on the socket."})
public final class DaemonStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The daemon's status socket (its config key socket). Default: "
                    + "$XDG_RUNTIME_DIR/steep-repl/daemon.sock, else /run/steep-repl/daemon.sock.")
    Path socket;

    @Override
    public Integer call() {
        SteepRepl root = SteepRepl.of(spec);
        return DaemonStatus.show(root.environment(), root.output(spec.commandLine()), socket);
    }
}
