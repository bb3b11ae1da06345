package io.steep.repl.it.overlap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steep-repl overlap analyze} between two clusters whose servers default to other
 * time zones, date and interval styles, float digits and bytea output: equal rows are equal,
 * every difference lands in its category, and the peer's password never reaches the log.
 */
class OverlapAnalyzeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "CREATE TABLE public.accounts (id int, region text, opened timestamptz, "
            + "period interval, score double precision, blob bytea, tags text[], PRIMARY KEY (id, region))";
    private static final String ROWS = "INSERT INTO public.accounts SELECT i, CASE WHEN i % 3 = 0 THEN '' "
            + "ELSE 'r' || (i % 5) END, timestamptz '2024-03-31 01:30:00+00' + i * interval '7 hours', "
            + "make_interval(0, 0, 0, i, i), 1.0 / i, decode(md5(i::text), 'hex'), ARRAY['a', i::text] "
            + "FROM generate_series(1, 5000) i";
    private static PgCluster local;
    private static PgCluster peer;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        local = PgCluster.builder().name("overlap-local").preload(false)
                .settings("timezone", "Pacific/Auckland", "datestyle", "SQL, DMY").start();
        peer = PgCluster.builder().name("overlap-peer").preload(false)
                .settings("timezone", "America/Caracas", "intervalstyle", "sql_standard",
                        "extra_float_digits", "-2", "bytea_output", "escape").start();
        local.createExtension("postgres");
        local.exec("CREATE EXTENSION dblink", TABLE, ROWS);
        peer.exec(TABLE, ROWS);
        local.exec("UPDATE public.accounts SET score = score * 2 WHERE id IN (7, 8)",
                "DELETE FROM public.accounts WHERE id = 9",
                "INSERT INTO public.accounts (id, region) VALUES (9001, 'x'), (9002, '')");
        peer.exec("DELETE FROM public.accounts WHERE id IN (20, 21, 22)");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    @Test
    void countsEveryCategoryWithoutFalseConflicts() throws Exception {
        String peerConn = peer.conninfo("postgres", PgCluster.SUPERUSER);
        CliDriver.Result result = new CliDriver(home).run("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "--json", "overlap", "analyze", "--peer", peerConn, "public.accounts", "--rows-per-bucket", "100");

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode row = JSON.readTree(result.stdout()).get("tables").get(0);
        assertThat(row.get("table_name").asText()).isEqualTo("public.accounts");
        assertThat(row.get("local_rows").asLong()).isEqualTo(5001);
        assertThat(row.get("remote_rows").asLong()).isEqualTo(4997);
        assertThat(row.get("conflicts").asLong()).isEqualTo(2);
        assertThat(row.get("local_only").asLong()).isEqualTo(5);   // 9001, 9002, 20, 21, 22
        assertThat(row.get("remote_only").asLong()).isEqualTo(1);  // 9
        assertThat(row.get("matches").asLong()).isEqualTo(5001 - 2 - 5);
        assertThat(row.get("buckets_differing").asInt()).isLessThan(row.get("buckets").asInt());

        CliDriver.Result human = new CliDriver(home).run("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "overlap", "analyze", "--peer", peerConn, "public.accounts");
        assertThat(human.exitCode()).isZero();
        assertThat(human.stdout()).contains("CONFLICTS").contains("public.accounts");
    }

    @Test
    void aTableWithoutAPrimaryKeyOrABadOptionIsRefusedWithAHint() {
        local.exec("CREATE TABLE IF NOT EXISTS public.loose (a int)");
        peer.exec("CREATE TABLE IF NOT EXISTS public.loose (a int)");
        String peerConn = peer.conninfo("postgres", PgCluster.SUPERUSER);

        CliDriver.Result keyless = new CliDriver(home).run("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "overlap", "analyze", "--peer", peerConn, "public.loose");
        assertThat(keyless.exitCode()).isEqualTo(1);
        assertThat(keyless.stderr()).contains("has no primary key").contains("key_columns");

        CliDriver.Result keyed = new CliDriver(home).run("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "overlap", "analyze", "--peer", peerConn, "--key-columns", "public.loose=a", "public.loose");
        assertThat(keyed.exitCode()).as(keyed.output()).isZero();

        CliDriver.Result malformed = new CliDriver(home).run("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "overlap", "analyze", "--peer", peerConn, "--key-columns", "public.loose", "public.loose");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("TABLE=COL");
    }
}
