package io.steep.repl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aPlainPeerRunsAnotherInstallationWithoutSteepRepl(@TempDir Path workerClasspath) throws Exception {
        // What the build sets for the ITs' clusters, which a plain peer must not pass on.
        System.setProperty(PgCluster.WORKER_CLASSPATH_PROPERTY, workerClasspath.toString());
        try (PgCluster peer = PgCluster.builder().name("plain").preload(true).plainPeer(OtherPostgres.pg18()).start()) {
            assertThat(peer.queryString("SELECT current_setting('server_version_num')::int / 10000")).isEqualTo("18");
            assertThat(peer.queryString("SHOW shared_preload_libraries")).isEmpty();
            assertThat(Files.readString(peer.dataDir().resolve("postgresql.conf"))).doesNotContain("steep_repl");
        } finally {
            System.clearProperty(PgCluster.WORKER_CLASSPATH_PROPERTY);
        }
    }
}
