package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.tableLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Money transfers run while the snapshot is taken; every transfer keeps the total constant, so
 * the copied balances must add up to it exactly, across parts copied by different connections.
 */
class GenerateConsistencyIT {
    private static final int ACCOUNTS = 20000;
    private static final long BALANCE = 1000;
    private static PgCluster cluster;
    private static Path root;

    @BeforeAll
    static void start() {
        cluster = GenerateSupport.startCluster("gen-consistency");
        root = GenerateSupport.snapshotRoot(cluster);
        cluster.exec("CREATE TABLE public.accounts (id int PRIMARY KEY, balance bigint NOT NULL, pad text)",
                "INSERT INTO public.accounts SELECT g, " + BALANCE + ", repeat(md5(g::text), 6) "
                        + "FROM generate_series(1, " + ACCOUNTS + ") g");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void concurrentTransfersNeverShowInTheSnapshot() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong transfers = new AtomicLong();
        List<Thread> load = List.of(transferThread(stop, transfers), transferThread(stop, transfers));
        load.forEach(Thread::start);
        Path dir = root.resolve("transfers");
        ObjectNode params = params(newSnapshotId(), dir, "zstd:19", 2);
        params.withObjectProperty("options").put("split_threshold_mb", 1);
        long before;
        long after;
        try {
            PgCluster.waitFor(GenerateSupport.JOB_TIMEOUT, () -> transfers.get() > 100, "transfers to start");
            before = transfers.get();
            GenerateSupport.generate(cluster, "postgres", params);
            after = transfers.get();
        } finally {
            stop.set(true);
            for (Thread thread : load) {
                thread.join();
            }
        }

        assertThat(after).as("transfers committed while the snapshot was taken").isGreaterThan(before);
        Manifest manifest = ManifestReader.read(dir);
        Manifest.TableEntry accounts = manifest.tables().get(0);
        assertThat(accounts.parts().size()).isGreaterThan(1);
        long total = 0;
        Set<String> ids = new HashSet<>();
        for (String line : tableLines(cluster, dir, manifest, accounts)) {
            String[] fields = line.split("\t");
            ids.add(fields[0]);
            total += Long.parseLong(fields[1]);
        }
        assertThat(ids).hasSize(ACCOUNTS);
        assertThat(accounts.rows()).isEqualTo(ACCOUNTS);
        assertThat(total).isEqualTo(ACCOUNTS * BALANCE);
        assertThat(cluster.queryLong("SELECT sum(balance) FROM public.accounts")).isEqualTo(ACCOUNTS * BALANCE);
    }

    private static Thread transferThread(AtomicBoolean stop, AtomicLong transfers) {
        Thread thread = new Thread(() -> {
            try (Connection c = cluster.connect();
                    PreparedStatement move = c.prepareStatement(
                            "UPDATE public.accounts SET balance = balance + CASE id WHEN ? THEN ? ELSE -? END "
                                    + "WHERE id IN (?, ?)")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int from = random.nextInt(1, ACCOUNTS + 1);
                    int to = random.nextInt(1, ACCOUNTS + 1);
                    if (from == to) {
                        continue;
                    }
                    long amount = random.nextLong(1, 100);
                    move.setInt(1, to);
                    move.setLong(2, amount);
                    move.setLong(3, amount);
                    move.setInt(4, from);
                    move.setInt(5, to);
                    move.executeUpdate();
                    transfers.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, "transfers");
        thread.setDaemon(true);
        return thread;
    }
}
