package io.steep.repl.it.preload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Without shared_preload_libraries the extension installs and the node registry works, while
 * everything that needs the worker or shared memory fails with the hint that fixes it.
 */
class NoPreloadIT {
    private static final String HINT =
            "Add steep_repl to shared_preload_libraries in postgresql.conf and restart the server.";

    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("nopreload").preload(false).start();
        cluster.createExtension("postgres");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void nodeFunctionsWork() {
        cluster.exec("SELECT steep_repl.register_node('node-a', 'Node A', 'localhost', 5432)",
                "SELECT steep_repl.heartbeat('node-a')");
        assertThat(cluster.queryString("SELECT state FROM steep_repl.node_status('node-a')")).isEqualTo("healthy");
        assertThat(cluster.queryString("SELECT steep_repl.bgworker_available()")).isEqualTo("f");
    }

    @Test
    void workerAndSharedMemoryFunctionsExplainTheFix() {
        for (String sql : List.of(
                "SELECT * FROM steep_repl.worker_status()",
                "SELECT * FROM steep_repl.job_progress()",
                "SELECT * FROM steep_repl.submit_job('ping')")) {
            assertThatThrownBy(() -> execute(sql)).as(sql).isInstanceOfSatisfying(PSQLException.class, e -> {
                ServerErrorMessage m = e.getServerErrorMessage();
                assertThat(m.getSQLState()).isEqualTo("55000");
                assertThat(m.getHint()).isEqualTo(HINT);
            });
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.work_queue")).isZero();
    }

    @Test
    void healthReportsWhatIsUnavailableWithoutFailing() {
        List<List<String>> rows = cluster.query("postgres",
                "SELECT component, status FROM steep_repl.health() WHERE component IN ('shared_memory', 'supervisor')");
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.get(1)).isEqualTo("unavailable"));
        assertThat(cluster.queryString("SELECT status FROM steep_repl.health() WHERE component = 'extension'"))
                .isEqualTo("ok");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
