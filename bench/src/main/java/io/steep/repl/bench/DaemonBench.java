package io.steep.repl.bench;

import io.steep.repl.api.RunListener;
import io.steep.repl.remote.DaemonAddress;
import io.steep.repl.remote.RemoteBackend;
import io.steep.repl.remote.RemoteOptions;
import io.steep.repl.snapshot.SnapshotOperations;
import io.steep.repl.snapshot.SnapshotProgress;
import io.steep.repl.snapshot.SnapshotRow;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The daemon's figures (issue 11): start time (process start to the gRPC port accepting, and
 * the daemon's own "started in" line) and resident memory of `steep-repl daemon run` from the
 * jar, and the latency of a progress stream: from the moment a new value of a run's progress is
 * in shared memory (seen by a session polling snapshot_progress() without pause) to the moment
 * the client receives it through the daemon's stream.
 */
public final class DaemonBench {
    private static final int STARTS = Integer.getInteger("bench.daemon.starts", 5);
    private static final long ROWS = Long.getLong("bench.daemon.rows", 3_000_000L);

    private DaemonBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("steep.jar", "../java/cli/target/steep-repl.jar")).toAbsolutePath();
        Path dir = Files.createTempDirectory("steep-daemon-bench");
        try (PgCluster cluster = PgCluster.builder().name("bench-daemon").start()) {
            cluster.createExtension("postgres");
            List<Stats> results = new ArrayList<>();
            results.addAll(starts(cluster, jar, dir));
            results.add(streamLatency(cluster, jar, dir));
            System.out.println();
            results.forEach(System.out::println);
        }
    }

    private static List<Stats> starts(PgCluster cluster, Path jar, Path dir) throws Exception {
        double[] toPort = new double[STARTS];
        double[] logged = new double[STARTS];
        double[] rssMb = new double[STARTS];
        for (int i = 0; i < STARTS; i++) {
            try (Daemon daemon = Daemon.start(cluster, jar, dir, i)) {
                toPort[i] = daemon.millisToPort;
                logged[i] = daemon.loggedMillis();
                Thread.sleep(1000);
                rssMb[i] = daemon.rssKb() / 1024.0;
            }
        }
        return List.of(Stats.of("daemon start: process -> gRPC port", "ms", toPort),
                Stats.of("daemon start: logged 'started in'", "ms", logged),
                Stats.of("daemon RSS 1 s after start", "MB", rssMb));
    }

    private static Stats streamLatency(PgCluster cluster, Path jar, Path dir) throws Exception {
        cluster.exec("CREATE TABLE bench_stream (id bigint PRIMARY KEY, pad text)",
                "INSERT INTO bench_stream SELECT g, repeat('x', 100) FROM generate_series(1, " + ROWS + ") g");
        Path output = cluster.serverDirectory("stream-snapshots").resolve("s1");
        Map<String, Long> seenInMemory = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        try (Daemon daemon = Daemon.start(cluster, jar, dir, 99);
                RemoteBackend backend = new RemoteBackend(new RemoteOptions(new DaemonAddress("127.0.0.1",
                        daemon.port), null, null, null, null), n -> { }, w -> { })) {
            Thread[] poller = new Thread[1];
            backend.start(SnapshotOperations.GENERATE, new SnapshotOperations.GenerateRequest("bench", output.toString(),
                    "none", 2, false, null, false, null, null), new RunListener<SnapshotRow, SnapshotProgress>() {
                        @Override
                        public void started(SnapshotRow run) {
                            poller[0] = new Thread(() -> poll(cluster, run.snapshotId(), seenInMemory, done), "poller");
                            poller[0].start();
                        }

                        @Override
                        public void progress(SnapshotProgress progress) {
                            received.putIfAbsent(key(progress.rowsDone(), progress.bytesDone()), System.nanoTime());
                        }
                    });
            done.set(true);
            poller[0].join();
        }
        List<Double> ms = new ArrayList<>();
        received.forEach((value, at) -> {
            Long seen = seenInMemory.get(value);
            if (seen != null && !value.equals(key(null, null))) {
                ms.add((at - seen) / 1e6);
            }
        });
        System.out.println("progress values streamed: " + received.size() + ", of which seen in shared memory first: "
                + ms.size());
        return Stats.of("progress: shared memory -> client", "ms", ms.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Reads the run's live progress without pause, noting when each new value first appears. */
    private static void poll(PgCluster cluster, String snapshotId, Map<String, Long> seen, AtomicBoolean done) {
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT rows_done, bytes_done FROM steep_repl.snapshot_progress(?)")) {
            ps.setString(1, snapshotId);
            while (!done.get()) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        seen.putIfAbsent(key(rs.getObject(1, Long.class), rs.getObject(2, Long.class)), System.nanoTime());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(Long rows, Long bytes) {
        return rows + "/" + bytes;
    }

    /** `steep-repl daemon run` from the jar, plaintext on loopback, over the cluster. */
    private static final class Daemon implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final int port;
        private final double millisToPort;

        private Daemon(Process process, Path log, int port, double millisToPort) {
            this.process = process;
            this.log = log;
            this.port = port;
            this.millisToPort = millisToPort;
        }

        static Daemon start(PgCluster cluster, Path jar, Path dir, int n) throws Exception {
            int port = freePort();
            Path config = dir.resolve("daemon-" + n + ".yaml");
            Files.writeString(config, "listen:\n  port: " + port + "\nhttp:\n  enabled: false\nsocket: "
                    + dir.resolve("daemon-" + n + ".sock") + "\npostgres:\n  connection: \""
                    + cluster.conninfo("postgres", PgCluster.SUPERUSER) + "\"\n");
            Path log = dir.resolve("daemon-" + n + ".log");
            long start = System.nanoTime();
            Process process = new ProcessBuilder("java", "-jar", jar.toString(), "daemon", "run", "--config",
                    config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            while (!accepts(port)) {
                if (!process.isAlive() || System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("the daemon did not start: " + Files.readString(log));
                }
                Thread.sleep(2);
            }
            return new Daemon(process, log, port, (System.nanoTime() - start) / 1e6);
        }

        double loggedMillis() throws IOException, InterruptedException {
            for (int i = 0; i < 500; i++) {
                for (String line : Files.readAllLines(log)) {
                    int at = line.indexOf("daemon started in ");
                    if (at >= 0) {
                        return Double.parseDouble(line.substring(at + 18).replaceAll("[^0-9].*", ""));
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("no start line in " + Files.readString(log));
        }

        long rssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for " + process.pid());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static boolean accepts(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
