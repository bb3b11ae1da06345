package io.steep.repl.it.privileges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The graduated privilege model of DESIGN.md, checked with real roles: a role with no grants,
 * and the dedicated role of the quickstart (LOGIN REPLICATION, DML on the steep_repl tables,
 * SELECT/INSERT on user tables). Each may do what the privilege table allows and nothing more.
 */
class PrivilegesIT {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String UNDEFINED_OBJECT = "42704";

    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder().name("privileges").start();
        cluster.createExtension("postgres");
        cluster.exec(
                "CREATE ROLE app LOGIN",
                // The dedicated role exactly as the quickstart creates it.
                "CREATE ROLE steep_repl WITH LOGIN REPLICATION PASSWORD 'secure_password'",
                "GRANT USAGE ON SCHEMA steep_repl TO steep_repl",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA steep_repl TO steep_repl",
                "CREATE TABLE public.accounts (id int PRIMARY KEY, balance numeric)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO steep_repl",
                "GRANT INSERT ON ALL TABLES IN SCHEMA public TO steep_repl");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aRoleWithoutGrantsReadsStatusButCannotChangeTheRegistry() throws SQLException {
        cluster.exec("SELECT steep_repl.register_node('node-a', 'Node A', 'localhost', 5432)");
        try (Connection app = cluster.connect("postgres", "app")) {
            assertThat(count(app, "SELECT * FROM steep_repl.node_status()")).isEqualTo(1);
            assertThat(count(app, "SELECT * FROM steep_repl.health()")).isGreaterThanOrEqualTo(7);
            assertThat(count(app, "SELECT * FROM steep_repl.worker_status()")).isEqualTo(1);
            count(app, "SELECT * FROM steep_repl.job_progress()");

            assertRefused(app, "SELECT steep_repl.register_node('node-x', 'X', 'localhost', 5432)", INSUFFICIENT_PRIVILEGE);
            assertRefused(app, "SELECT steep_repl.heartbeat('node-a')", INSUFFICIENT_PRIVILEGE);
            assertRefused(app, "SELECT steep_repl.deregister_node('node-a')", INSUFFICIENT_PRIVILEGE);
            assertRefused(app, "SELECT * FROM steep_repl.audit_log", INSUFFICIENT_PRIVILEGE);
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes")).isEqualTo(1);
    }

    @Test
    void internalFunctionsAreForTheWorkerOnly() throws SQLException {
        for (String role : new String[] {"app", "steep_repl"}) {
            try (Connection c = cluster.connect("postgres", role)) {
                assertRefused(c, "SELECT steep_repl._report_progress(1, 'x', 'p', 1, 'i', 1, 1, 1, 1, 1, 1)",
                        INSUFFICIENT_PRIVILEGE);
                assertRefused(c, "SELECT steep_repl._finish_progress(1)", INSUFFICIENT_PRIVILEGE);
                assertRefused(c, "SELECT * FROM steep_repl._claim_job(1)", INSUFFICIENT_PRIVILEGE);
                assertRefused(c, "SELECT steep_repl._fail_orphaned_jobs('x')", INSUFFICIENT_PRIVILEGE);
                assertRefused(c, "SELECT steep_repl._prune_jobs()", INSUFFICIENT_PRIVILEGE);
                assertRefused(c, "SELECT steep_repl._worker_connected()", INSUFFICIENT_PRIVILEGE);
            }
        }
    }

    @Test
    void jobsRunOnlyInTheSubmittersNameAndStayPrivate() throws SQLException {
        long othersJob = cluster.queryLong("SELECT id FROM steep_repl.submit_job('ping')");
        try (Connection app = cluster.connect("postgres", "app")) {
            long own = single(app, "SELECT id FROM steep_repl.submit_job('ping')");
            assertThat(text(app, "SELECT submitted_by FROM steep_repl.jobs WHERE id = " + own)).isEqualTo("app");

            // A forged submitter is replaced by the inserting role.
            long forged = single(app, "INSERT INTO steep_repl.work_queue (kind, submitted_by) "
                    + "VALUES ('ping', 'postgres') RETURNING id");
            assertThat(cluster.queryString("SELECT submitted_by FROM steep_repl.work_queue WHERE id = " + forged))
                    .isEqualTo("app");

            assertThat(count(app, "SELECT * FROM steep_repl.jobs WHERE id = " + othersJob)).isZero();
            assertRefused(app, "SELECT steep_repl.cancel_job(" + othersJob + ")", UNDEFINED_OBJECT);
            awaitComplete(own);
        }
        try (Connection dedicated = cluster.connect("postgres", "steep_repl")) {
            long own = single(dedicated, "SELECT id FROM steep_repl.submit_job('ping')");
            // UPDATE and DELETE are granted on the table, but no job row can be changed, deleted or
            // locked: there is no policy for it, its own rows included.
            assertThat(dedicated.createStatement().executeUpdate(
                    "UPDATE steep_repl.work_queue SET submitted_by = 'postgres' WHERE id = " + own)).isZero();
            assertThat(count(dedicated, "SELECT * FROM steep_repl.work_queue WHERE id = " + othersJob)).isZero();
            assertThat(dedicated.createStatement().executeUpdate(
                    "UPDATE steep_repl.work_queue SET max_attempts = 3 WHERE id = " + othersJob)).isZero();
            assertThat(dedicated.createStatement().executeUpdate("DELETE FROM steep_repl.audit_log")).isZero();
            assertThat(count(dedicated, "SELECT * FROM steep_repl.work_queue WHERE id = " + own + " FOR UPDATE"))
                    .isZero();
            awaitComplete(own);
        }
        assertThat(cluster.queryString("SELECT max_attempts FROM steep_repl.work_queue WHERE id = " + othersJob))
                .isEqualTo("1");
        assertThat(cluster.queryString("SELECT submitted_by FROM steep_repl.work_queue WHERE id = " + othersJob))
                .isEqualTo("postgres");
        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.work_queue WHERE submitted_by::text = 'postgres' "
                + "AND kind = 'ping'")).isEqualTo(1);
    }

    @Test
    void theQuickstartRoleManagesNodes() throws SQLException {
        try (Connection dedicated = cluster.connect("postgres", "steep_repl")) {
            dedicated.createStatement().execute(
                    "SELECT steep_repl.register_node('node-q', 'Quick', 'db-q.example.com', 5433, 10)");
            dedicated.createStatement().execute("SELECT steep_repl.heartbeat('node-q')");
            assertThat(text(dedicated, "SELECT state FROM steep_repl.node_status('node-q')")).isEqualTo("healthy");
            dedicated.createStatement().execute("SELECT steep_repl.deregister_node('node-q')");
            assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.nodes WHERE node_id = 'node-q'")).isZero();
            assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.audit_log "
                    + "WHERE actor = 'steep_repl' AND target = 'node-q'")).isEqualTo(2);
        }
    }

    private static void awaitComplete(long id) {
        PgCluster.waitFor(Duration.ofSeconds(30), () -> "complete".equals(
                cluster.queryString("SELECT status FROM steep_repl.work_queue WHERE id = " + id)), "job " + id);
    }

    private static void assertRefused(Connection c, String sql, String sqlState) {
        assertThatThrownBy(() -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        return Long.parseLong(text(c, sql));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return rs.getString(1);
        }
    }
}
