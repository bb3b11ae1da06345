package io.steep.repl.bench;

import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Job pickup latency and the worker's resident memory with 1 and with 5 served databases, on
 * one throwaway cluster: pickup is measured as in {@link FoundationBench} (commit → claim) in
 * the last database served, after one job has run in every served database; RSS is read from
 * /proc after that, with the worker idle.
 */
public final class ServedDatabasesBench {
    private static final int[] DATABASES = {1, 5};

    private ServedDatabasesBench() {
    }

    public static void main(String[] args) throws Exception {
        try (PgCluster cluster = PgCluster.builder().name("bench-dbs").start()) {
            cluster.createExtension("postgres");
            List<String> served = new ArrayList<>(List.of("postgres"));
            List<Stats> results = new ArrayList<>();
            for (int count : DATABASES) {
                while (served.size() < count) {
                    String db = "app" + served.size();
                    cluster.createDatabase(db);
                    cluster.createExtension(db);
                    served.add(db);
                }
                PgCluster.waitFor(Duration.ofSeconds(30), () -> cluster.queryLong(
                        "SELECT count(*) FROM steep_repl.served_databases() WHERE state = 'serving'") == count,
                        count + " served databases");
                for (String db : served) {
                    cluster.execIn(db, "SELECT steep_repl.submit_job('ping')");
                }
                Stats pickup = FoundationBench.jobPickup(cluster, served.get(served.size() - 1));
                results.add(pickup);
                long pid = FoundationBench.awaitWorker(cluster);
                results.add(Stats.of("worker RSS, idle, serving " + count + " database(s)", "MB",
                        new double[] {Processes.rssKb(pid) / 1024.0}));
            }
            System.out.println();
            results.forEach(System.out::println);
        }
    }
}
