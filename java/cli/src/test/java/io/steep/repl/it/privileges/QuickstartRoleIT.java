package io.steep.repl.it.privileges;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quickstart followed literally with its dedicated role (../shared/spec), in an application
 * database ({@value #DB}) and nowhere else: shared_preload_libraries and CREATE EXTENSION are
 * all the setup jobs need. The role generates a snapshot of the application's tables, and
 * applies it into tables a DBA created beforehand; an apply never ends complete while the
 * target lacks the snapshot's keys.
 */
class QuickstartRoleIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final String DB = "mydb";
    private static final List<String> QUICKSTART_ROLE = List.of(
            "CREATE ROLE steep_repl WITH LOGIN REPLICATION PASSWORD 'secure_password'",
            "GRANT USAGE ON SCHEMA steep_repl TO steep_repl",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA steep_repl TO steep_repl",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO steep_repl",
            "GRANT INSERT ON ALL TABLES IN SCHEMA public TO steep_repl");
    private static PgCluster source;
    private static PgCluster target;
    private static Path snapshot;

    @BeforeAll
    static void start() {
        source = PgCluster.builder().name("quickstart-source").start();
        target = PgCluster.builder().name("quickstart-target").start();
        for (PgCluster cluster : List.of(source, target)) {
            cluster.createDatabase(DB);
            cluster.createExtension(DB);
            PgCluster.waitFor(WorkerClusters.WORKER_TIMEOUT, () -> cluster.query(DB,
                    "SELECT state FROM steep_repl.served_databases() WHERE database = current_database()")
                    .equals(List.of(List.of("serving"))), "the worker to serve " + DB + " (log:\n" + cluster.log() + ")");
        }
        // Both servers run as the same OS user: one directory, opened to both.
        Path shared = source.serverDirectory("snapshots");
        for (PgCluster cluster : List.of(source, target)) {
            cluster.execIn(DB, "ALTER SYSTEM SET steep_repl.snapshot_dir = '" + shared + "'", "SELECT pg_reload_conf()");
        }
        snapshot = shared.resolve("shop");
        source.execIn(DB, "CREATE TABLE public.accounts (id int PRIMARY KEY, name text)",
                "CREATE INDEX accounts_name ON public.accounts (name)",
                "CREATE TABLE public.orders (id int PRIMARY KEY, account int REFERENCES public.accounts)",
                "INSERT INTO public.accounts SELECT i, 'n' || i FROM generate_series(1, 100) i",
                "INSERT INTO public.orders SELECT i, i % 100 + 1 FROM generate_series(1, 300) i");
        source.execIn(DB, QUICKSTART_ROLE.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(source, target);
    }

    @Test
    void theQuickstartRoleGeneratesAndAppliesIntoTablesMadeBeforehand() throws Exception {
        long generate = start(source, "SELECT job_id FROM steep_repl.start_snapshot(?, 'zstd', 2)", snapshot);
        assertThat(awaitFinal(source, generate)).as(error(source, generate)).isEqualTo("complete");

        // The DBA creates the tables without their keys, as a careless copy would, and grants the
        // quickstart's privileges: the role owns none of them, so it may not build the keys.
        target.execIn(DB, "CREATE TABLE public.accounts (id int, name text)",
                "CREATE TABLE public.orders (id int, account int)");
        target.execIn(DB, QUICKSTART_ROLE.toArray(String[]::new));

        long refused = start(target, "SELECT job_id FROM steep_repl.start_apply(?)", snapshot);
        assertThat(awaitFinal(target, refused)).isEqualTo("failed");
        assertThat(error(target, refused)).contains("lacks 4 of the snapshot's keys, constraints or indexes")
                .contains("Nothing was changed");
        assertThat(count(target, "SELECT count(*) FROM public.accounts")).isZero();

        assertThat(error(target, refused)).contains("ownership of public.accounts").contains("CREATE on schema public");

        // Once the role owns the tables and may create in their schema, the apply builds what
        // they lack and completes.
        target.execIn(DB, "ALTER TABLE public.accounts OWNER TO steep_repl", "ALTER TABLE public.orders OWNER TO steep_repl",
                "GRANT CREATE ON SCHEMA public TO steep_repl");
        long applied = start(target, "SELECT job_id FROM steep_repl.start_apply(?)", snapshot);
        assertThat(awaitFinal(target, applied)).as(error(target, applied)).isEqualTo("complete");
        assertThat(count(target, "SELECT count(*) FROM public.orders")).isEqualTo(300);
        assertThat(target.query(DB, "SELECT conname FROM pg_constraint WHERE conrelid IN "
                + "('public.accounts'::regclass, 'public.orders'::regclass) ORDER BY 1"))
                .extracting(row -> row.get(0)).containsExactly("accounts_pkey", "orders_account_fkey", "orders_pkey");
        assertThat(count(target, "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_name'")).isEqualTo(1);
        // and nothing of steep_repl was ever needed in the maintenance database
        assertThat(target.queryLong("SELECT count(*) FROM pg_extension WHERE extname = 'steep_repl'")).isZero();
    }

    private static long start(PgCluster cluster, String sql, Path path) throws SQLException {
        try (Connection c = cluster.connect(DB, "steep_repl"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, path.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String awaitFinal(PgCluster cluster, long job) {
        return WorkerClusters.awaitFinal(cluster, DB, job, JOB_TIMEOUT);
    }

    private static String error(PgCluster cluster, long job) {
        return String.valueOf(value(cluster, "SELECT error_message FROM steep_repl.work_queue WHERE id = " + job));
    }

    /** The first column of the first row, in the application database. */
    private static String value(PgCluster cluster, String sql) {
        List<List<String>> rows = cluster.query(DB, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    private static long count(PgCluster cluster, String sql) {
        return Long.parseLong(value(cluster, sql));
    }
}
