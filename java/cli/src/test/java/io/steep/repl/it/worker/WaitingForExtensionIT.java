package io.steep.repl.it.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * With no database to serve the worker exits and the supervisor waits, without a JVM; a reload
 * that widens steep_repl.databases, or CREATE EXTENSION in a covered database, starts serving
 * again without a restart. crm has the extension throughout and is covered only by '*'.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaitingForExtensionIT {
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("waiting").setting("steep_repl.databases", "shop").start();
        cluster.createDatabase("crm");
        cluster.createExtension("crm");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void withNothingToServeTheSupervisorWaitsWithoutAWorker() {
        awaitWaiting();
        assertThat(value("crm", "SELECT worker_pid IS NULL FROM steep_repl.worker_status()")).isEqualTo("t");
        assertThat(value("crm", "SELECT status || ': ' || detail FROM steep_repl.health() WHERE component = 'java_worker'"))
                .startsWith("warning: no database to serve");
    }

    @Test
    @Order(2)
    void aReloadThatCoversADatabaseWithTheExtensionStartsServingIt() {
        cluster.set("steep_repl.databases", "*");
        awaitServing("crm");
    }

    @Test
    @Order(3)
    void createExtensionInACoveredDatabaseStartsServingIt() {
        cluster.set("steep_repl.databases", "shop");
        awaitWaiting();

        cluster.createDatabase("shop");
        cluster.createExtension("shop");
        awaitServing("shop");
        assertThat(value("shop", "SELECT served_databases FROM steep_repl.worker_status()")).isEqualTo("shop (serving)");
    }

    private static void awaitWaiting() {
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "waiting for extension".equals(
                value("crm", "SELECT state FROM steep_repl.worker_status()")), "the supervisor to wait for an extension");
    }

    private static void awaitServing(String db) {
        PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> "serving".equals(value(db,
                "SELECT state FROM steep_repl.served_databases() WHERE database = current_database()")),
                db + " to be served (log:\n" + cluster.log() + ")");
    }

    private static String value(String db, String sql) {
        List<List<String>> rows = cluster.query(db, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }
}
