package io.steep.repl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

class PgClusterIT {

    @Test
    void startsTwoIndependentClustersAndRemovesThemOnClose() throws Exception {
        Path dataA;
        try (PgCluster a = PgCluster.builder().name("a").preload(false).setting("work_mem", "7MB").start();
                PgCluster b = PgCluster.builder().name("b").preload(false).start()) {
            dataA = a.dataDir();
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.queryString("SHOW work_mem")).isEqualTo("7MB");
            a.exec("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)");
            assertThat(a.queryLong("SELECT count(*) FROM t")).isEqualTo(2);
            assertThatThrownBy(() -> b.queryLong("SELECT count(*) FROM t")).hasMessageContaining("does not exist");

            a.exec("CREATE ROLE alice LOGIN");
            try (Connection c = a.connect("postgres", "alice")) {
                assertThat(c.getMetaData().getUserName()).isEqualTo("alice");
            }
            long postmaster = Long.parseLong(Files.readAllLines(a.dataDir().resolve("postmaster.pid")).get(0));
            assertThat(Processes.isAlive(postmaster)).isTrue();
            a.restart();
            assertThat(a.queryLong("SELECT count(*) FROM t")).isEqualTo(2);
        }
        assertThat(dataA).doesNotExist();
    }
}
