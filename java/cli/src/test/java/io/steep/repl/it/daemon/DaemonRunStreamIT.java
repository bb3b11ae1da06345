package io.steep.repl.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run followed through the jar's daemon when the daemon gets SIGTERM: the progress stream
 * ends at once (not at the end of the grace) with UNAVAILABLE "daemon shutting down", the CLI
 * exits 6 saying the run goes on, the daemon exits 0, and the run completes on the server.
 */
class DaemonRunStreamIT {
    private static final String BLOCKER = "SELECT steep_repl.submit_job('test.sleep', '{\"steps\": 1200, \"step_ms\": 100}')";
    private static PgCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = WorkerClusters.start("daemon-stream");
        cluster.exec("CREATE TABLE public.items (id int PRIMARY KEY, name text)",
                "INSERT INTO public.items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void sigtermEndsAFollowedRunsStreamAtOnceAndTheRunGoesOn() throws Exception {
        DaemonFixture fixture = new DaemonFixture(dir);
        Path config = fixture.writeConfig(fixture.baseYaml(cluster).replace("shutdown_grace: 2s", "shutdown_grace: 60s"));
        Path output = cluster.serverDirectory("snapshots").resolve("followed");
        cluster.exec(BLOCKER);
        try (DaemonProcess daemon = DaemonProcess.jar("daemon", "run", "--config", config.toString())) {
            daemon.awaitStarted();
            CompletableFuture<CliDriver.Result> follower = CompletableFuture.supplyAsync(() -> new CliDriver(dir)
                    .run("snapshot", "generate", "node-a", "--output", output.toString(),
                            "--remote", "127.0.0.1:" + fixture.grpcPort));
            PgCluster.waitFor(Duration.ofSeconds(30), () -> cluster.queryLong(
                    "SELECT count(*) FROM steep_repl.snapshots WHERE path = '" + output + "'") == 1, "the run to start");
            String snapshotId = cluster.queryString("SELECT snapshot_id FROM steep_repl.snapshots WHERE path = '"
                    + output + "'");
            // The run is pending behind the blocker: the CLI is following it through the stream.
            Thread.sleep(500);
            assertThat(follower).isNotDone();

            long signalled = System.nanoTime();
            Processes.kill(daemon.pid(), "TERM");
            CliDriver.Result result = follower.get(30, TimeUnit.SECONDS);
            long streamEndedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);

            assertThat(streamEndedMs).as("the stream ends long before the 60 s grace").isLessThan(30_000);
            assertThat(result.exitCode()).as(result.output()).isEqualTo(6);
            assertThat(result.stderr()).contains("error: the steep-repl daemon at 127.0.0.1:" + fixture.grpcPort
                    + " is shutting down: daemon shutting down; snapshot " + snapshotId + " goes on running on the server")
                    .contains("hint: ");
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).as(daemon.stderr()).isZero();
        }
        assertThat(cluster.queryString("SELECT status FROM steep_repl.snapshots WHERE path = '" + output + "'"))
                .isEqualTo("pending");
        cluster.exec("UPDATE steep_repl.work_queue SET cancel_requested = true WHERE kind = 'test.sleep' "
                + "AND status IN ('pending', 'running')");
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "complete".equals(cluster.queryString(
                "SELECT status FROM steep_repl.snapshots WHERE path = '" + output + "'")), "the run to complete");
    }
}
