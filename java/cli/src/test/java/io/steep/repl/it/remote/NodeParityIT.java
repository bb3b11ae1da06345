package io.steep.repl.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node and health commands through a daemon print what they print directly, byte for byte
 * once the run-specific parts (times, ages) are masked, and exit with the same codes: results,
 * refusals and bad input.
 */
class NodeParityIT {
    private static PgCluster cluster;
    private static InProcessDaemon daemon;

    @TempDir
    Path home;
    private TwoModes modes;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("remote-nodes").preload(false).start();
        cluster.createExtension("postgres");
        daemon = new InProcessDaemon(cluster.conninfo("postgres", PgCluster.SUPERUSER));
    }

    @AfterAll
    static void stop() {
        daemon.close();
        cluster.close();
    }

    @BeforeEach
    void setUp() {
        cluster.exec("DELETE FROM steep_repl.nodes");
        modes = new TwoModes(new CliDriver(home), cluster.conninfo("postgres", PgCluster.SUPERUSER), daemon);
    }

    private CliDriver.Result direct(String... args) {
        return modes.direct(args);
    }

    private CliDriver.Result remote(String... args) {
        return modes.remote(args);
    }

    /** Times and ages differ from one call to the next; everything else must not. */
    private static String masked(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\d[T ][0-9:.]+(Z|[+-]\\d\\d(:\\d\\d)?)?", "<time>")
                .replaceAll("(\"heartbeat_age\" : )[0-9.E-]+", "$1<age>")
                .replaceAll("(?m)(healthy|stale) +<time> +\\S+", "$1 <time> <age>");
    }

    private void assertSame(CliDriver.Result direct, CliDriver.Result remote) {
        assertThat(remote.exitCode()).as(remote.stderr()).isEqualTo(direct.exitCode());
        assertThat(masked(remote.stdout())).isEqualTo(masked(direct.stdout()));
        assertThat(remote.stderr()).isEqualTo(direct.stderr());
    }

    @Test
    void registerStatusHeartbeatDeregisterAlike() {
        CliDriver.Result a = direct("node", "register", "node-a", "--name", "Node A", "--host", "db1", "--json");
        CliDriver.Result b = remote("node", "register", "node-b", "--name", "Node A", "--host", "db1", "--json");
        assertThat(a.exitCode()).as(a.stderr()).isZero();
        assertSame(a, nodeBAsNodeA(b));
        for (String[] args : List.of(new String[] {"node", "status"}, new String[] {"node", "status", "--json"},
                new String[] {"node", "status", "node-b", "--json"},
                new String[] {"health", "--json"}, new String[] {"health"})) {
            assertSame(direct(args), remote(args));
        }
        assertSame(direct("node", "heartbeat", "node-a"), nodeBAsNodeA(remote("node", "heartbeat", "node-b")));
        assertSame(direct("node", "status"), remote("node", "status"));
        assertSame(direct("node", "deregister", "node-a"), nodeBAsNodeA(remote("node", "deregister", "node-b")));
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }

    private static CliDriver.Result nodeBAsNodeA(CliDriver.Result result) {
        return new CliDriver.Result(result.exitCode(), result.stdout().replace("node-b", "node-a"), result.stderr());
    }

    @Test
    void refusalsAndBadInputAlike() {
        for (String[] args : List.of(new String[] {"node", "heartbeat", "no-such-node"},
                new String[] {"node", "heartbeat", "no-such-node", "--json"},
                new String[] {"node", "register", "bad id!", "--name", "x", "--host", "h"},
                new String[] {"node", "register", "n1", "--name", "x", "--host", "h", "--priority", "101", "--json"})) {
            CliDriver.Result direct = direct(args);
            assertThat(direct.exitCode()).isNotZero();
            assertSame(direct, remote(args));
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isZero();
    }
}
