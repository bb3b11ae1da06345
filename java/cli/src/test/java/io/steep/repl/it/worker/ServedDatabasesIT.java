package io.steep.repl.it.worker;

import static io.steep.repl.it.worker.WorkQueueSupport.awaitNewWorker;
import static io.steep.repl.it.worker.WorkQueueSupport.awaitWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.testkit.PgCluster;
import io.steep.repl.testkit.Processes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One worker serves every database that has the extension: databases created while the cluster
 * runs are served without a restart, jobs run in several at once, the cluster-wide limit is
 * shared fairly, a dropped extension or database stops being served without disturbing the
 * others (DROP DATABASE is not blocked by the worker's sessions), a database the worker cannot
 * connect to shows as an error, and a restart fails the running jobs of every database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServedDatabasesIT {
    private static final Duration SERVED_TIMEOUT = Duration.ofSeconds(30);
    private static final String LONG_SLEEP = "{\"steps\": 600, \"step_ms\": 100}";
    private static final String SHORT_SLEEP = "{\"steps\": 3, \"step_ms\": 100}";

    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkQueueSupport.startCluster("served", "steep_repl.max_concurrent_jobs", "4");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void extensionsCreatedWhileTheClusterRunsAreServedAndRunJobsAtOnce() {
        long workerPid = awaitWorker(cluster);
        createServed("shop");
        createServed("crm");
        assertThat(cluster.queryString("SELECT served_databases FROM steep_repl.worker_status()"))
                .contains("shop (serving)").contains("crm (serving)").contains("postgres (serving)");

        long shopJob = submit("shop", LONG_SLEEP);
        long crmJob = submit("crm", LONG_SLEEP);
        PgCluster.waitFor(SERVED_TIMEOUT, () -> "running".equals(status("shop", shopJob))
                && "running".equals(status("crm", crmJob)), "a job running in shop and in crm at once");
        // Both are job 1 of their database; each database's job_progress() shows its own.
        assertThat(shopJob).isEqualTo(crmJob);
        PgCluster.waitFor(SERVED_TIMEOUT, () -> progressRows("shop") == 1 && progressRows("crm") == 1,
                "the progress of both jobs");
        assertThat(queryIn("shop", "SELECT kind || ' ' || job_id FROM steep_repl.job_progress()"))
                .isEqualTo("test.sleep " + shopJob);

        cancel("shop", shopJob);
        cancel("crm", crmJob);
        awaitFinalIn("shop", shopJob);
        awaitFinalIn("crm", crmJob);
        assertThat(status("shop", shopJob)).isEqualTo("cancelled");
        assertThat(status("crm", crmJob)).isEqualTo("cancelled");
        assertThat(cluster.queryLong("SELECT worker_pid FROM steep_repl.worker_status()")).isEqualTo(workerPid);
    }

    @Test
    @Order(2)
    void oneDatabasesQueueDoesNotStarveAnother() {
        setLimit(1);
        // A backend applies a reload after the statement that follows it: one job in each
        // database makes both dispatchers' sessions run statements after the reload.
        for (String db : List.of("shop", "crm")) {
            awaitFinalIn(db, submit(db, SHORT_SLEEP));
        }
        List<Long> shopJobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shopJobs.add(submit("shop", SHORT_SLEEP));
        }
        PgCluster.waitFor(SERVED_TIMEOUT, () -> "running".equals(status("shop", shopJobs.get(0))),
                "the first shop job to run");
        long crmJob = submit("crm", SHORT_SLEEP);

        shopJobs.forEach(id -> awaitFinalIn("shop", id));
        awaitFinalIn("crm", crmJob);
        // With the limit at 1, the crm job waited while shop had more queued: it must run next.
        String crmStart = queryIn("crm", "SELECT started_at FROM steep_repl.work_queue WHERE id = " + crmJob);
        long shopStartedBefore = cluster.query("shop",
                "SELECT count(*) FROM steep_repl.work_queue WHERE id IN " + inList(shopJobs)
                        + " AND started_at < '" + crmStart + "'::timestamptz").stream()
                .mapToLong(row -> Long.parseLong(row.get(0))).sum();
        assertThat(shopStartedBefore).isEqualTo(1);
        setLimit(4);
    }

    @Test
    @Order(3)
    void aDroppedExtensionStopsBeingServedAndTheOthersGoOn() {
        long workerPid = awaitWorker(cluster);
        cluster.execIn("crm", "DROP EXTENSION steep_repl");
        PgCluster.waitFor(SERVED_TIMEOUT, () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.served_databases() WHERE database = 'crm'") == 0,
                "crm to leave the served databases");

        assertRunsAJob("shop");
        assertThat(cluster.queryLong("SELECT worker_pid FROM steep_repl.worker_status()")).isEqualTo(workerPid);

        // created again: served again, without a restart
        cluster.createExtension("crm");
        awaitServing("crm");
        assertRunsAJob("crm");
    }

    @Test
    @Order(4)
    void aServedDatabaseWithARunningJobCanBeDropped() {
        createServed("scratch");
        long job = submit("scratch", LONG_SLEEP);
        PgCluster.waitFor(SERVED_TIMEOUT, () -> "running".equals(status("scratch", job)), "the scratch job to run");

        // A role that may not drop it cannot make the worker let go of it either.
        String since = cluster.queryString("SELECT since FROM steep_repl.served_databases() WHERE database = 'scratch'");
        cluster.exec("CREATE ROLE served_hostile LOGIN");
        assertThatThrownBy(() -> {
            try (Connection c = cluster.connect("postgres", "served_hostile"); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE scratch");
            }
        }).hasMessageContaining("must be owner");
        assertThat(cluster.queryString("SELECT state || ' ' || since || ' ' || dropping "
                + "FROM steep_repl.served_databases() WHERE database = 'scratch'")).isEqualTo("serving " + since + " false");
        assertThat(status("scratch", job)).isEqualTo("running");

        // Without the worker letting go, PostgreSQL gives up after 5 s: "is being accessed by other users".
        cluster.exec("DROP DATABASE scratch");

        assertThat(cluster.queryLong("SELECT count(*) FROM pg_database WHERE datname = 'scratch'")).isZero();
        PgCluster.waitFor(SERVED_TIMEOUT, () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.served_databases() WHERE database IS NULL OR database = 'scratch'") == 0,
                "scratch to leave the served databases");
        assertRunsAJob("shop");
    }

    @Test
    @Order(5)
    void aDatabaseTheWorkerCannotConnectToIsAnErrorAndTheOthersGoOn() {
        createServed("locked");
        cluster.exec("ALTER DATABASE locked WITH ALLOW_CONNECTIONS false");
        long oldPid = awaitWorker(cluster);
        Processes.kill(oldPid, "KILL");
        awaitNewWorker(cluster, oldPid, SERVED_TIMEOUT);

        PgCluster.waitFor(SERVED_TIMEOUT, () -> "error".equals(cluster.queryString(
                "SELECT status FROM steep_repl.health() WHERE component = 'database locked'")),
                "health() to report database locked as an error");
        assertThat(cluster.queryString("SELECT detail FROM steep_repl.health() WHERE component = 'database locked'"))
                .contains("not currently accepting connections");
        awaitServing("shop");
        assertRunsAJob("shop");

        cluster.exec("ALTER DATABASE locked WITH ALLOW_CONNECTIONS true");
        awaitServing("locked");
    }

    @Test
    @Order(6)
    void aRestartFailsTheRunningJobsOfEveryDatabase() {
        setLimit(4);
        long shopJob = submit("shop", LONG_SLEEP);
        long crmJob = submit("crm", LONG_SLEEP);
        PgCluster.waitFor(SERVED_TIMEOUT, () -> "running".equals(status("shop", shopJob))
                && "running".equals(status("crm", crmJob)), "a job running in shop and in crm");

        cluster.restart();
        awaitWorker(cluster);

        for (String db : List.of("shop", "crm")) {
            long id = db.equals("shop") ? shopJob : crmJob;
            awaitFinalIn(db, id);
            assertThat(status(db, id)).isEqualTo("failed");
            assertThat(queryIn(db, "SELECT error_message FROM steep_repl.work_queue WHERE id = " + id))
                    .isEqualTo("server restarted while the job was running");
        }
    }

    @Test
    @Order(7)
    void aReloadOfSteepReplDatabasesNarrowsAndWidensWhatIsServed() {
        long workerPid = awaitWorker(cluster);
        cluster.set("steep_repl.databases", "postgres, shop");
        PgCluster.waitFor(SERVED_TIMEOUT, () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.served_databases() WHERE database = 'crm'") == 0,
                "crm to leave the served databases");
        assertThatThrownBy(() -> submit("crm", SHORT_SLEEP))
                .hasMessageContaining("steep_repl does not run jobs in database \"crm\"")
                .hasMessageContaining("steep_repl.databases");
        assertThat(queryIn("crm", "SELECT count(*) FROM steep_repl.work_queue WHERE status = 'pending'")).isEqualTo("0");
        assertRunsAJob("shop");

        cluster.set("steep_repl.databases", "*");
        awaitServing("crm");
        assertRunsAJob("crm");
        assertThat(cluster.queryLong("SELECT worker_pid FROM steep_repl.worker_status()")).isEqualTo(workerPid);
    }

    /** A short job submitted in db completes. */
    private static void assertRunsAJob(String db) {
        long id = submit(db, SHORT_SLEEP);
        awaitFinalIn(db, id);
        assertThat(status(db, id)).isEqualTo("complete");
    }

    /** A new database with the extension, once the worker serves it. */
    private static void createServed(String db) {
        cluster.createDatabase(db);
        cluster.createExtension(db);
        awaitServing(db);
    }

    private static void awaitServing(String db) {
        PgCluster.waitFor(SERVED_TIMEOUT, () -> "serving".equals(cluster.queryString(
                "SELECT state FROM steep_repl.served_databases() WHERE database = '" + db + "'")),
                "database " + db + " to be served (log:\n" + cluster.log() + ")");
    }

    private static long submit(String db, String params) {
        try (Connection c = cluster.connect(db, PgCluster.SUPERUSER)) {
            return WorkQueueSupport.submit(c, "test.sleep", params, 1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void cancel(String db, long id) {
        cluster.execIn(db, "SELECT steep_repl.cancel_job(" + id + ")");
    }

    private static String status(String db, long id) {
        return queryIn(db, "SELECT status FROM steep_repl.work_queue WHERE id = " + id);
    }

    private static long progressRows(String db) {
        return Long.parseLong(queryIn(db, "SELECT count(*) FROM steep_repl.job_progress()"));
    }

    private static String queryIn(String db, String sql) {
        List<List<String>> rows = cluster.query(db, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    private static void awaitFinalIn(String db, long id) {
        PgCluster.waitFor(WorkQueueSupport.JOB_TIMEOUT, () -> WorkQueueSupport.FINAL.contains(status(db, id)),
                "job " + id + " in " + db + " to end (it is " + status(db, id) + ")");
    }

    private static void setLimit(int limit) {
        cluster.set("steep_repl.max_concurrent_jobs", Integer.toString(limit));
        PgCluster.waitFor(Duration.ofSeconds(10),
                () -> cluster.queryString("SHOW steep_repl.max_concurrent_jobs").equals(Integer.toString(limit)),
                "the new limit to apply");
    }

    private static String inList(List<Long> ids) {
        return ids.toString().replace('[', '(').replace(']', ')');
    }
}
