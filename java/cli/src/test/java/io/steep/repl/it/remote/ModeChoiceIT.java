package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which way a command goes without --direct or --remote (docs/cli.md, "Direct and remote
 * mode"): direct when the -c database can run it, else the daemon of $STEEP_REPL_DAEMON, else
 * an error naming what is missing; --direct and --remote never fall back. Where a run lands
 * (which server's snapshots table) shows which way it went.
 */
class ModeChoiceIT {
    /** A path the server cannot create: the run is queued (and fails later), which is all these tests need. */
    private static final String OUTPUT = "/proc/steep-repl-mode-it/s";
    private static PgCluster worker;
    private static PgCluster noPreload;
    private static InProcessDaemon daemon;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        worker = WorkerClusters.start("mode-worker");
        noPreload = PgCluster.builder().name("mode-nopreload").preload(false).start();
        noPreload.createExtension("postgres");
        noPreload.createDatabase("plain");
        daemon = new InProcessDaemon(worker.conninfo("postgres", PgCluster.SUPERUSER));
    }

    @AfterAll
    static void stop() {
        daemon.close();
        worker.close();
        noPreload.close();
    }

    @BeforeEach
    void clean() {
        worker.exec("DELETE FROM steep_repl.nodes");
        noPreload.exec("DELETE FROM steep_repl.nodes");
    }

    private CliDriver cli() {
        return new CliDriver(home);
    }

    private CliDriver withDaemon() {
        return cli().env("STEEP_REPL_DAEMON", daemon.address());
    }

    private static long runsOn(PgCluster cluster) {
        return cluster.queryLong("SELECT count(*) FROM steep_repl.snapshots WHERE path LIKE '/proc/steep-repl-mode-it/%'");
    }

    private static String generate(String name) {
        return "snapshot generate " + name + " --output " + OUTPUT + "-" + name + " --detach --verbose";
    }

    private static String[] args(String line, String conninfo) {
        String[] words = line.split(" ");
        String[] all = java.util.Arrays.copyOf(words, words.length + 2);
        all[words.length] = "-c";
        all[words.length + 1] = conninfo;
        return all;
    }

    @Test
    void directWhenTheDatabaseHasTheExtensionAndItsWorker() {
        long before = runsOn(worker);
        CliDriver.Result result = cli().run(args(generate("direct"), worker.conninfo("postgres", PgCluster.SUPERUSER)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("direct mode: the database has steep_repl and its worker");
        assertThat(runsOn(worker)).isEqualTo(before + 1);
    }

    @Test
    void withoutPreloadAJobCommandFailsNamingItWhenNoDaemonIsConfigured() {
        CliDriver.Result result = cli().run(args(generate("nopre"), noPreload.conninfo("postgres", PgCluster.SUPERUSER)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("error: the server does not preload steep_repl (shared_preload_libraries), "
                + "so it runs no background jobs, and no steep-repl daemon is configured\n")
                .contains("hint: Add steep_repl to shared_preload_libraries and restart the server")
                .contains("STEEP_REPL_DAEMON=HOST:PORT");
        assertThat(runsOn(noPreload)).isZero();
    }

    @Test
    void withoutPreloadAJobCommandGoesToTheConfiguredDaemon() {
        long before = runsOn(worker);
        CliDriver.Result result = withDaemon().run(args(generate("fallback"),
                noPreload.conninfo("postgres", PgCluster.SUPERUSER)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("remote mode: the server does not preload steep_repl")
                .contains("using the daemon at " + daemon.address() + " ($STEEP_REPL_DAEMON)");
        assertThat(runsOn(worker)).isEqualTo(before + 1);
        assertThat(runsOn(noPreload)).isZero();
    }

    @Test
    void withoutPreloadACommandThatStartsNoJobStaysDirect() {
        CliDriver.Result result = withDaemon().run("node", "register", "n1", "--name", "N", "--host", "h", "--verbose",
                "-c", noPreload.conninfo("postgres", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("direct mode: the database has steep_repl\n");
        assertThat(noPreload.queryLong("SELECT count(*) FROM steep_repl.nodes")).isEqualTo(1);
        assertThat(worker.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }

    @Test
    void withoutTheExtensionACommandGoesToTheConfiguredDaemon() {
        CliDriver.Result result = withDaemon().run("node", "register", "n2", "--name", "N", "--host", "h", "--verbose",
                "-c", noPreload.conninfo("plain", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("remote mode: extension steep_repl is not installed in database \"plain\"");
        assertThat(worker.queryLong("SELECT count(*) FROM steep_repl.nodes WHERE node_id = 'n2'")).isEqualTo(1);
    }

    @Test
    void anUnreachableServerFallsBackToTheDaemonButNotWithDirect() throws IOException {
        String nowhere = "host=127.0.0.1 port=" + unusedPort() + " dbname=postgres user=postgres connect_timeout=2";
        CliDriver.Result fallback = withDaemon().run("node", "status", "--verbose", "-c", nowhere);
        assertThat(fallback.exitCode()).as(fallback.stderr()).isZero();
        assertThat(fallback.stderr()).contains("remote mode: cannot connect directly (");

        CliDriver.Result forced = withDaemon().run("node", "status", "--direct", "-c", nowhere);
        assertThat(forced.exitCode()).isEqualTo(6);
        assertThat(forced.stderr()).doesNotContain("daemon");
    }

    @Test
    void remoteNeverFallsBackToDirect() throws IOException {
        int port = unusedPort();
        CliDriver.Result result = cli().run("node", "register", "n3", "--name", "N", "--host", "h",
                "--remote", "127.0.0.1:" + port, "-c", worker.conninfo("postgres", PgCluster.SUPERUSER));

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.stderr()).contains("warning: -c is not used with --remote")
                .contains("error: cannot reach the steep-repl daemon at 127.0.0.1:" + port);
        assertThat(worker.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
