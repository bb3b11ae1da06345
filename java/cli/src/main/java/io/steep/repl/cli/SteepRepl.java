package io.steep.repl.cli;

import io.steep.repl.cli.daemon.DaemonCommand;
import io.steep.repl.cli.jobs.JobsCommand;
import io.steep.repl.cli.merge.MergeCommand;
import io.steep.repl.cli.node.NodeCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.daemon.config.DaemonDefaults;
import io.steep.repl.cli.overlap.OverlapCommand;
import io.steep.repl.cli.schema.SchemaCommand;
import io.steep.repl.cli.snapshot.SnapshotCommand;
import io.steep.repl.jdbc.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code steep-repl} command: global options inherited by every subcommand, the error and
 * exit-code handlers, and the entry point of the jar. Building the command line loads neither
 * JDBC nor JSON classes, so {@code --help} stays fast.
 */
@Command(name = "steep-repl",
        versionProvider = VersionProvider.class,
        description = "Prepare and reconcile PostgreSQL nodes for bidirectional logical replication.%n"
                + "Commands run directly against PostgreSQL through the steep_repl extension.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NodeCommand.class, HealthCommand.class, JobsCommand.class, SnapshotCommand.class, SchemaCommand.class, OverlapCommand.class, MergeCommand.class, DaemonCommand.class, WorkerCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl health -c \"host=db1 dbname=app user=steep\"",
                "  steep-repl node status --json -c postgresql://steep@db1/app",
                "  steep-repl jobs list --status running",
                "  steep-repl overlap node-a node-b --tables public.users -c node-a",
                "",
                "Exit codes: 0 ok, 1 error, 2 usage, 3 schema mismatch, 4 cancelled, 5 timeout, 6 connection."})
public final class SteepRepl {

    @Option(names = {"-c", "--connection"}, paramLabel = "CONN", scope = ScopeType.INHERIT,
            description = {"PostgreSQL connection: key=value pairs (\"host=db1 dbname=app\"), a URI "
                    + "(postgresql://steep@db1/app), or a connection name: a [section] of the file "
                    + "$STEEP_REPL_CONNECTIONS, by default",
                    "~/.config/steep-repl/connections.conf.",
                    "Unset parts come from PG* variables and defaults, as for psql. "
                            + "Keep passwords out of the command line: use PGPASSWORD or ~/.pgpass."})
    String connection;

    @Option(names = "--direct", scope = ScopeType.INHERIT,
            description = "Talk to PostgreSQL directly; never fall back to a daemon.")
    boolean direct;

    @Option(names = "--remote", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = {"Run the command through the steep-repl daemon at HOST:PORT (default port "
                    + DaemonDefaults.GRPC_PORT + "), "
                    + "against the daemon's database; never fall back.",
                    "Without --direct or --remote: direct when the -c database has steep_repl (and its worker, "
                            + "for jobs), else the daemon of $" + RemoteSettings.DAEMON_VARIABLE + " if set."})
    String remote;

    @Option(names = "--ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "With a daemon: TLS, trusting the daemon's certificate signed by this CA (PEM; or $"
                    + RemoteSettings.CA_VARIABLE + ").")
    String ca;

    @Option(names = "--cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "With a daemon: this client certificate (PEM; or $" + RemoteSettings.CERT_VARIABLE
                    + "), for a daemon that asks for one (mTLS). Needs --key.")
    String cert;

    @Option(names = "--key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "With --cert: its private key (PEM; or $" + RemoteSettings.KEY_VARIABLE + ").")
    String key;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "With a daemon: its bearer token. Prefer $" + RemoteSettings.TOKEN_VARIABLE
                    + ": a command line is visible to other users.")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the result, or the error, as one JSON document on stdout.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show the connection target and, on failure, the stack trace.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    private final Environment environment;

    SteepRepl(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(Environment.system()).execute(args));
    }

    /** The configured command line; tests pass their own environment and capture out and err. */
    public static CommandLine commandLine(Environment environment) {
        CommandLine commandLine = new CommandLine(new SteepRepl(environment));
        ExitCodes exitCodes = new ExitCodes();
        commandLine.setExitCodeExceptionMapper(exitCodes);
        commandLine.setExecutionExceptionHandler(new ExecutionErrorHandler(exitCodes));
        commandLine.setParameterExceptionHandler(new UsageErrorHandler(exitCodes));
        return commandLine;
    }

    /** The root command of any command in the tree. */
    public static SteepRepl of(CommandSpec spec) {
        return (SteepRepl) spec.root().userObject();
    }

    public Environment environment() {
        return environment;
    }

    public String connection() {
        return connection;
    }

    public boolean verbose() {
        return verbose;
    }

    boolean remoteRequested() {
        return remote != null;
    }

    boolean directRequested() {
        return direct;
    }

    /** The daemon settings given on the command line, over those of the environment. */
    RemoteSettings remoteSettings() {
        return RemoteSettings.of(environment, remote, ca, cert, key, token);
    }

    public Output output(CommandLine commandLine) {
        return new Output(commandLine, json, verbose);
    }
}
