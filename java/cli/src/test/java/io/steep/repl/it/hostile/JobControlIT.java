package io.steep.repl.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile roles against the job queue itself: a forged cancel notification, a database owner's
 * shadow type and search_path aimed at the worker's own superuser sessions, a lock held on a
 * job row, and job parameters the worker cannot parse.
 */
class JobControlIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkerClusters.start("job-control", "steep_repl.max_concurrent_jobs", "3");
        cluster.exec("CREATE ROLE alice LOGIN", "CREATE ROLE mallory LOGIN");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    @Test
    void aCancelNotificationFromAnotherRoleIsOnlyAWakeUp() throws Exception {
        long job = submit("alice", "test.sleep", "{\"steps\": 20, \"step_ms\": 100}");
        awaitStatus(job, "running");
        try (Connection m = cluster.connect("postgres", "mallory"); Statement s = m.createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.execute("NOTIFY steep_repl_work, 'cancel " + job + "'");
            }
        }

        assertThat(awaitFinal(job)).isEqualTo("complete");
        assertThat(cluster.queryString("SELECT cancel_requested FROM steep_repl.work_queue WHERE id = " + job))
                .isEqualTo("f");
    }

    @Test
    void theDatabaseOwnersShadowTypesAndSearchPathDoNotReachTheWorkersSessions() throws Exception {
        cluster.exec("CREATE ROLE owner LOGIN", "CREATE SCHEMA evil AUTHORIZATION owner",
                "ALTER DATABASE postgres OWNER TO owner");
        try {
            try (Connection o = cluster.connect("postgres", "owner"); Statement s = o.createStatement()) {
                // Runs as whoever casts a value to the shadow type.
                s.execute("CREATE FUNCTION evil.grab(pg_catalog.jsonb) RETURNS boolean LANGUAGE plpgsql AS $f$ "
                        + "BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN "
                        + "EXECUTE 'ALTER ROLE owner SUPERUSER'; END IF; RETURN true; END $f$");
                s.execute("CREATE DOMAIN evil.jsonb AS pg_catalog.jsonb CHECK (evil.grab(VALUE))");
                s.execute("CREATE FUNCTION evil.\"current_setting\"(text) RETURNS text LANGUAGE sql "
                        + "AS $f$ SELECT evil.grab('{}')::text $f$");
                s.execute("ALTER DATABASE postgres SET search_path = evil, pg_catalog, public");
            }
            long job = submit("alice", "test.sleep", "{\"steps\": 2, \"step_ms\": 10}");
            assertThat(awaitFinal(job)).isEqualTo("complete");
            // A job's own session starts with the pinned path, not the database's.
            long path = submit("alice", "test.sql", "{\"sql\": \"SELECT pg_catalog.current_setting('search_path')\"}");
            assertThat(awaitFinal(path)).isEqualTo("complete");
            assertThat(cluster.queryString("SELECT replace(result ->> 'value', ' ', '') FROM steep_repl.jobs WHERE id = "
                    + path)).isEqualTo("pg_catalog,pg_temp");
            long failing = submit("alice", "test.sleep", "{\"steps\": 2, \"step_ms\": 10, \"fail_at\": 1}");
            assertThat(awaitFinal(failing)).isEqualTo("failed");

            assertThat(cluster.queryString("SELECT rolsuper FROM pg_roles WHERE rolname = 'owner'")).isEqualTo("f");
        } finally {
            cluster.exec("ALTER DATABASE postgres RESET search_path", "ALTER DATABASE postgres OWNER TO postgres",
                    "DROP SCHEMA evil CASCADE");
        }
    }

    @Test
    void aLockOnOnesOwnJobRowStallsNeitherTheWorkerNorOtherRolesJobs() throws Exception {
        // No grant lets a role lock a job row directly ...
        try (Connection m = cluster.connect("postgres", "mallory"); Statement s = m.createStatement()) {
            assertThatThrownBy(() -> s.execute("SELECT id FROM steep_repl.work_queue FOR UPDATE"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        // ... but cancel_job in a transaction left open holds the row until it ends.
        long mine = submit("mallory", "test.sleep", "{\"steps\": 10, \"step_ms\": 100}");
        awaitStatus(mine, "running");
        try (Connection m = cluster.connect("postgres", "mallory")) {
            m.setAutoCommit(false);
            try (Statement s = m.createStatement()) {
                s.execute("SELECT steep_repl.cancel_job(" + mine + ")");
            }
            long theirs = submit("alice", "test.sleep", "{\"steps\": 5, \"step_ms\": 100}");
            assertThat(awaitFinal(theirs)).isEqualTo("complete");
            // mallory's job ended meanwhile (her cancel is not committed), but its row is hers:
            // its outcome waits, and the worker keeps serving.
            long next = submit("alice", "test.sleep", "{\"steps\": 1, \"step_ms\": 10}");
            assertThat(awaitFinal(next)).isEqualTo("complete");
            m.rollback();
        }
        assertThat(awaitFinal(mine)).isEqualTo("complete");
    }

    @Test
    void parametersTooDeepToParseFailTheJobInsteadOfLeavingItRunning() throws Exception {
        String deep = "[".repeat(3000) + "]".repeat(3000);
        long job = submit("alice", "test.sleep", "{\"steps\": 1, \"deep\": " + deep + "}");

        assertThat(awaitFinal(job)).isEqualTo("failed");
        assertThat(cluster.queryString("SELECT error_message FROM steep_repl.jobs WHERE id = " + job))
                .startsWith("job parameters cannot be read");
        long after = submit("alice", "test.sleep", "{\"steps\": 1, \"step_ms\": 10}");
        assertThat(awaitFinal(after)).isEqualTo("complete");
    }

    private static long submit(String role, String kind, String params) throws SQLException {
        try (Connection c = cluster.connect("postgres", role);
                PreparedStatement ps = c.prepareStatement("SELECT id FROM steep_repl.submit_job(?, ?::jsonb)")) {
            ps.setString(1, kind);
            ps.setString(2, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void awaitStatus(long job, String status) {
        PgCluster.waitFor(JOB_TIMEOUT, () -> status.equals(statusOf(job)), "job " + job + " to be " + status);
    }

    private static String awaitFinal(long job) {
        return WorkerClusters.awaitFinal(cluster, job, JOB_TIMEOUT);
    }

    private static String statusOf(long job) {
        return cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + job);
    }
}
