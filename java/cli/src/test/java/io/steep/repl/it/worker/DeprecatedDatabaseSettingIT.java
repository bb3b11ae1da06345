package io.steep.repl.it.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server configured before steep_repl.databases existed, with steep_repl.database naming one
 * database, keeps working as before: that database is served, the others are not, and jobs
 * submitted elsewhere are refused with a hint naming the setting that replaces it.
 */
class DeprecatedDatabaseSettingIT {
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("deprecated-database").setting("steep_repl.database", "shop").start();
        for (String db : List.of("shop", "other")) {
            cluster.createDatabase(db);
            cluster.createExtension(db);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void steepReplDatabaseIsAListOfOne() throws Exception {
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> cluster.query("shop",
                "SELECT database, state FROM steep_repl.served_databases()").equals(List.of(List.of("shop", "serving"))),
                "shop, and only shop, to be served (log:\n" + cluster.log() + ")");
        assertThat(cluster.query("shop", "SELECT database FROM steep_repl.worker_status()"))
                .isEqualTo(List.of(List.of("shop")));

        long job;
        try (Connection c = cluster.connect("shop", PgCluster.SUPERUSER)) {
            job = WorkQueueSupport.submit(c, "ping", "{}", 1);
        }
        String query = "SELECT status FROM steep_repl.work_queue WHERE id = " + job;
        PgCluster.waitFor(Duration.ofSeconds(60), () -> "complete".equals(cluster.query("shop", query).get(0).get(0)),
                "the ping job in shop");

        assertThatThrownBy(() -> {
            try (Connection c = cluster.connect("other", PgCluster.SUPERUSER)) {
                WorkQueueSupport.submit(c, "ping", "{}", 1);
            }
        }).hasMessageContaining("steep_repl does not run jobs in database \"other\"")
                .hasMessageContaining("steep_repl.databases");
        assertThat(cluster.query("other", "SELECT count(*) FROM steep_repl.work_queue")).isEqualTo(List.of(List.of("0")));
    }
}
