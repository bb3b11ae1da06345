package io.steep.repl.cli.daemon;

import io.steep.repl.cli.SteepRepl;
import io.steep.repl.daemon.tls.TlsInit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steep-repl daemon tls init}: a CA, a server and a client certificate for a first setup. */
@Command(name = "init",
        description = {"Write a CA (ca.crt, ca.key), the daemon's certificate (server.crt, server.key; valid for "
                + "each --host and for localhost, 127.0.0.1 and ::1) and a client certificate for mTLS "
                + "(client.crt, client.key) into DIR: EC P-256 keys, PEM, private keys PKCS#8 with mode 0600.",
                "Refuses to overwrite: when any of the six files exists in DIR, nothing is written. Prints the "
                        + "files and the config lines that use them. Keep ca.key offline once the certificates "
                        + "you need are made."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl daemon tls init --dir /etc/steep-repl/tls --host db1.example.com",
                "  steep-repl daemon tls init --dir ./tls --host 10.0.0.5 --days 365",
                "",
                "Exit codes: 0 written, 1 cannot write, 2 bad option or a file exists."})
public final class DaemonTlsInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "Where to write the files; created with mode 0700 if missing.")
    Path dir;

    @Option(names = "--host", paramLabel = "NAME",
            description = "A host name or IP address clients use to reach the daemon (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", paramLabel = "N", defaultValue = "" + TlsInit.DEFAULT_DAYS,
            description = "How long the certificates are valid, 1 to " + TlsInit.MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() {
        SteepRepl root = SteepRepl.of(spec);
        DaemonTlsInit.write(root.output(spec.commandLine()), dir, hosts, days);
        return 0;
    }
}
