package io.steep.repl.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A role that owns a table tries to become superuser, or to run a program as the server's OS
 * user, through code the worker evaluates for its jobs: an RLS policy read by generate; a
 * trigger, CHECK constraint, domain, generated column and index expression written by apply.
 * Every attempt must meet the security-restricted operation the job sessions run in, and the
 * role must end as it began.
 */
class EscalationIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static PgCluster cluster;
    private static Path snapshots;
    private static Path marker;

    @BeforeAll
    static void start() throws Exception {
        cluster = WorkerClusters.start("escalation");
        snapshots = cluster.serverDirectory("snapshots");
        marker = cluster.serverDirectory("markers").resolve("pwned");
        cluster.exec("ALTER SYSTEM SET steep_repl.snapshot_dir = '" + snapshots + "'", "SELECT pg_reload_conf()",
                "CREATE ROLE mallory LOGIN",
                "CREATE SCHEMA mal AUTHORIZATION mallory");
        try (Connection m = cluster.connect("postgres", "mallory"); Statement s = m.createStatement()) {
            // Tries both ways out, records the outcome by NOTIFY (allowed where the attempt is not)
            // and carries on, so that every vector of one load is reached.
            s.execute("CREATE FUNCTION mal.escape(p_vector text) RETURNS boolean LANGUAGE plpgsql AS $f$ "
                    + "BEGIN "
                    + "  BEGIN EXECUTE 'RESET ROLE'; EXECUTE 'ALTER ROLE mallory SUPERUSER'; "
                    + "    PERFORM pg_notify('mal', p_vector || ':role-escaped'); "
                    + "  EXCEPTION WHEN OTHERS THEN PERFORM pg_notify('mal', p_vector || ':role:' || SQLSTATE); END; "
                    + "  BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'touch " + marker + "'); "
                    + "    PERFORM pg_notify('mal', p_vector || ':program-ran'); "
                    + "  EXCEPTION WHEN OTHERS THEN PERFORM pg_notify('mal', p_vector || ':program:' || SQLSTATE); END; "
                    + "  RETURN true; "
                    + "END $f$");
            s.execute("CREATE FUNCTION mal.check_ok(int) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS "
                    + "$f$ BEGIN RETURN mal.escape('check'); END $f$");
            s.execute("CREATE FUNCTION mal.domain_ok(int) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS "
                    + "$f$ BEGIN RETURN mal.escape('domain'); END $f$");
            s.execute("CREATE FUNCTION mal.generated(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS "
                    + "$f$ BEGIN PERFORM mal.escape('generated'); RETURN $1; END $f$");
            s.execute("CREATE FUNCTION mal.indexed(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS "
                    + "$f$ BEGIN PERFORM mal.escape('index'); RETURN $1; END $f$");
            s.execute("CREATE FUNCTION mal.on_insert() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$f$ BEGIN PERFORM mal.escape('trigger'); RETURN NEW; END $f$");
            s.execute("CREATE FUNCTION mal.visible() RETURNS boolean LANGUAGE plpgsql AS "
                    + "$f$ BEGIN RESET ROLE; ALTER ROLE mallory SUPERUSER; RETURN true; END $f$");
            s.execute("CREATE DOMAIN mal.guarded AS int CHECK (mal.domain_ok(VALUE))");
            s.execute("CREATE TABLE mal.t (id int PRIMARY KEY, v int, d mal.guarded, "
                    + "g int GENERATED ALWAYS AS (mal.generated(id)) STORED)");
            s.execute("INSERT INTO mal.t (id, v, d) SELECT i, i, i FROM generate_series(1, 3) i");
            s.execute("CREATE TABLE mal.r (id int PRIMARY KEY)");
            s.execute("INSERT INTO mal.r VALUES (1)");
            s.execute("ALTER TABLE mal.r ENABLE ROW LEVEL SECURITY");
            s.execute("ALTER TABLE mal.r FORCE ROW LEVEL SECURITY");
            s.execute("CREATE POLICY r_read ON mal.r USING (mal.visible())");
        }
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    @Test
    void aPolicyEvaluatedByGenerateCannotLeaveTheSubmittersRole() throws Exception {
        long job = startSnapshot("mallory", snapshots.resolve("policy"), "{\"include_schemas\": [\"mal\"]}");

        assertThat(awaitFinal(job)).isEqualTo("failed");
        assertThat(cluster.queryString("SELECT error_message FROM steep_repl.jobs WHERE id = " + job))
                .contains("cannot set parameter \"role\" within security-restricted operation");
        assertNotEscalated();
    }

    @Test
    void codeEvaluatedByApplyCannotLeaveTheSubmittersRoleNorRunPrograms() throws Exception {
        // A clean snapshot of mal.t (a superuser's generate reads it without firing anything),
        // then the owner arms the table and applies it over itself.
        Path dir = snapshots.resolve("armed");
        long generate = startSnapshot("postgres", dir, "{\"include_tables\": [\"mal.t\"]}");
        assertThat(awaitFinal(generate)).isEqualTo("complete");
        try (Connection m = cluster.connect("postgres", "mallory"); Statement s = m.createStatement()) {
            s.execute("ALTER TABLE mal.t ADD CONSTRAINT v_ok CHECK (mal.check_ok(v))");
            s.execute("CREATE INDEX t_indexed ON mal.t (mal.indexed(id))");
            s.execute("CREATE TRIGGER t_insert BEFORE INSERT ON mal.t FOR EACH ROW EXECUTE FUNCTION mal.on_insert()");
        }
        List<String> heard = new ArrayList<>();
        try (Connection listener = cluster.connect()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN mal");
            }
            long apply = startApply("mallory", dir);
            String status = awaitFinal(apply);
            collect(listener, heard, Duration.ofSeconds(2));
            assertThat(status).as("apply: " + cluster.queryString(
                    "SELECT error_message FROM steep_repl.jobs WHERE id = " + apply)).isEqualTo("complete");
        }
        // Each vector ran the attacker's code, and each way out was refused (42501).
        for (String vector : List.of("trigger", "check", "domain", "generated", "index")) {
            assertThat(heard).as(vector).contains(vector + ":role:42501", vector + ":program:42501");
        }
        assertThat(heard).noneMatch(h -> h.endsWith("escaped") || h.endsWith("ran"));
        assertThat(cluster.queryLong("SELECT count(*) FROM mal.t")).isEqualTo(3);
        assertNotEscalated();
    }

    private static void assertNotEscalated() {
        assertThat(cluster.queryString("SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory'")).isEqualTo("f");
        assertThat(Files.exists(marker)).as("a file written by COPY TO PROGRAM").isFalse();
    }

    private static long startSnapshot(String role, Path path, String options) throws SQLException {
        try (Connection c = cluster.connect("postgres", role);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT job_id FROM steep_repl.start_snapshot(?, 'none', 2, ?::jsonb)")) {
            ps.setString(1, path.toString());
            ps.setString(2, options);
            return single(ps);
        }
    }

    private static long startApply(String role, Path path) throws SQLException {
        try (Connection c = cluster.connect("postgres", role);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT job_id FROM steep_repl.start_apply(?, 2, true, '{\"replace\": true}')")) {
            ps.setString(1, path.toString());
            return single(ps);
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String awaitFinal(long job) {
        return WorkerClusters.awaitFinal(cluster, job, JOB_TIMEOUT);
    }

    private static void collect(Connection listener, List<String> heard, Duration quiet) throws SQLException {
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (true) {
            PGNotification[] received = pg.getNotifications((int) quiet.toMillis());
            if (received == null || received.length == 0) {
                return;
            }
            for (PGNotification n : received) {
                heard.add(n.getParameter());
            }
        }
    }
}
