package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client of a daemon names, wherever a request takes a node, a host of its own (a
 * listening socket here that counts who connects): the daemon never connects there, so it can
 * give away no password, client certificate or peer authentication (docs/daemon.md, "What a
 * client can make the daemon do").
 */
class DaemonConfinementIT {
    private static PgCluster cluster;
    private static InProcessDaemon daemon;
    private static ServerSocket trap;
    private static final AtomicInteger ARRIVALS = new AtomicInteger();

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws IOException {
        cluster = PgCluster.builder().name("remote-confined").preload(false).start();
        cluster.createExtension("postgres");
        cluster.exec("CREATE EXTENSION dblink", "CREATE TABLE public.t (id int PRIMARY KEY)");
        trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!trap.isClosed()) {
                try {
                    Socket arrived = trap.accept();
                    ARRIVALS.incrementAndGet();
                    arrived.close();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "trap");
        acceptor.setDaemon(true);
        acceptor.start();
        cluster.exec("SELECT steep_repl.register_node('trap-node', 'T', '127.0.0.1', " + trap.getLocalPort() + ")");
        daemon = new InProcessDaemon(cluster.conninfo("postgres", PgCluster.SUPERUSER));
    }

    @AfterAll
    static void stop() throws IOException {
        daemon.close();
        trap.close();
        cluster.close();
    }

    private CliDriver.Result remote(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--remote", daemon.address()));
        return new CliDriver(home).run(all.toArray(String[]::new));
    }

    @Test
    void noRequestMakesTheDaemonConnectToAHostTheClientNames() {
        String trapConninfo = "host=127.0.0.1 port=" + trap.getLocalPort() + " dbname=postgres user=postgres "
                + "connect_timeout=2";
        List<CliDriver.Result> results = List.of(
                remote("overlap", trapConninfo, "also-unknown", "--tables", "public.t"),
                remote("overlap", "trap-node", "also-unknown", "--tables", "public.t"),
                remote("merge", trapConninfo, "also-unknown", "--tables", "public.t", "--strategy", "prefer-local",
                        "--dry-run"),
                remote("schema", "compare", "--peer", trapConninfo),
                remote("schema", "compare", "trap-node", "also-unknown"),
                remote("schema", "diff", "--table", "public.t", "--peer", "trap-node"));

        assertThat(ARRIVALS.get()).as("connections the daemon opened to the client's host").isZero();
        for (CliDriver.Result result : results.subList(3, 6)) {
            assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
            assertThat(result.stderr()).contains("the daemon connects to no node but its own database");
        }
        for (CliDriver.Result result : results.subList(0, 3)) {
            assertThat(result.exitCode()).as(result.output()).isNotZero();
        }
    }
}
