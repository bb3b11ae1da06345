package io.steep.repl.it.overlap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steep-repl overlap NODE-A NODE-B} between two clusters whose servers default to other
 * time zones, date and interval styles, float digits and bytea output: equal rows are equal,
 * every difference lands in its category, the keys are listed on request, and NODE-B reaches
 * NODE-A's server by the name it knows or else without the CLI's password.
 */
class OverlapIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER_PASSWORD = "r3ader-Overlap";
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
    private CliDriver cli;

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
        for (PgCluster node : List.of(local, peer)) {
            node.exec("CREATE ROLE reader LOGIN PASSWORD '" + READER_PASSWORD + "'",
                    "GRANT SELECT ON public.accounts TO reader");
        }
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    /** Named connections: node-a and node-b as the superuser over the sockets, the reader's over TCP. */
    @BeforeEach
    void connections() throws IOException {
        Path file = home.resolve("connections.conf");
        Files.writeString(file, section("node-a", local.socketDir().toString(), local.port(), "postgres")
                + section("node-b", peer.socketDir().toString(), peer.port(), "postgres")
                + section("reader-a", local.socketDir().toString(), local.port(), "reader")
                + section("reader-b", "127.0.0.1", peer.port(), "reader"));
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "127.0.0.1:*:*:reader:" + READER_PASSWORD + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        cli = new CliDriver(home).env("STEEP_REPL_CONNECTIONS", file.toString());
    }

    private static String section(String name, String host, int port, String user) {
        return "[" + name + "]\nhost=" + host + "\nport=" + port + "\ndbname=postgres\nuser=" + user + "\n";
    }

    private CliDriver.Result overlap(String... args) {
        List<String> all = new ArrayList<>(List.of("overlap"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    @Test
    void countsEveryCategoryWithoutFalseConflicts() throws Exception {
        CliDriver.Result result = overlap("node-a", "node-b", "--tables", "public.accounts", "--rows-per-bucket", "100",
                "--json", "-c", "node-a");

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode document = JSON.readTree(result.stdout());
        assertThat(document.get("local").asText()).isEqualTo("node-a");
        assertThat(document.get("remote").asText()).isEqualTo("node-b");
        assertThat(document.has("details")).isFalse();
        JsonNode row = document.get("tables").get(0);
        assertThat(row.get("table_name").asText()).isEqualTo("public.accounts");
        assertThat(row.get("local_rows").asLong()).isEqualTo(5001);
        assertThat(row.get("remote_rows").asLong()).isEqualTo(4997);
        assertThat(row.get("conflicts").asLong()).isEqualTo(2);
        assertThat(row.get("local_only").asLong()).isEqualTo(5);   // 9001, 9002, 20, 21, 22
        assertThat(row.get("remote_only").asLong()).isEqualTo(1);  // 9
        assertThat(row.get("matches").asLong()).isEqualTo(5001 - 2 - 5);
        assertThat(row.get("buckets_differing").asInt()).isLessThan(row.get("buckets").asInt());
        assertThat(row.get("run_id").isNull()).isTrue();

        CliDriver.Result human = overlap("node-a", "node-b", "--tables", "public.accounts", "-c", "node-a");
        assertThat(human.exitCode()).isZero();
        assertThat(human.stdout()).startsWith("local: node-a  remote: node-b\n").contains("CONFLICTS")
                .containsPattern("public.accounts +5001 +4997 +4994 +2 +5 +1 ");
    }

    @Test
    void detailKeepsTheAnalysisAndListsTheKeysOfEachCategoryUpToTheLimit() throws Exception {
        CliDriver.Result result = overlap("node-a", "node-b", "--tables", "public.accounts", "--detail",
                "--limit", "2", "--json", "-c", "node-a");

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode document = JSON.readTree(result.stdout());
        long runId = document.get("tables").get(0).get("run_id").asLong();
        assertThat(local.queryLong("SELECT count(*) FROM steep_repl.overlap_runs WHERE run_id = " + runId)).isOne();
        List<String> details = new ArrayList<>();
        document.get("details").forEach(d -> details.add(d.get("table_name").asText() + " " + d.get("category").asText()
                + " " + d.get("total").asLong() + " " + d.get("keys")));
        assertThat(details).containsExactly(
                "public.accounts conflict 2 [\"'7','r2'\",\"'8','r3'\"]",
                "public.accounts local_only 5 [\"'20','r0'\",\"'21',''\"]",
                "public.accounts remote_only 1 [\"'9',''\"]");

        CliDriver.Result human = overlap("node-a", "node-b", "--tables", "public.accounts", "--detail", "-c", "node-a");
        assertThat(human.exitCode()).as(human.output()).isZero();
        assertThat(human.stdout()).contains("public.accounts local only (5 rows):\n")
                .contains("public.accounts conflict (2 rows):\n  '7','r2'\n  '8','r3'\n");
        CliDriver.Result limited = overlap("node-a", "node-b", "--tables", "public.accounts", "--detail",
                "--limit", "1", "-c", "node-a");
        assertThat(limited.stdout()).contains("public.accounts local only (5 rows, 1 listed):\n  '20','r0'\n\n");
    }

    @Test
    void aPeerTheServerKnowsGoesByItsNameAndAnyOtherWithoutThePassword() throws Exception {
        // Known to NODE-A's server: a foreign server with the reader's user mapping, reached without -c's help.
        local.exec("CREATE SERVER \"reader-b\" FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '"
                        + peer.port() + "', dbname 'postgres')",
                "CREATE USER MAPPING FOR reader SERVER \"reader-b\" OPTIONS (user 'reader', password '"
                        + READER_PASSWORD + "')",
                "GRANT USAGE ON FOREIGN SERVER \"reader-b\" TO reader");
        CliDriver.Result mapped;
        try {
            mapped = overlap("reader-a", "reader-b", "--tables", "public.accounts", "--keep", "--json", "-c", "reader-a");
        } finally {
            local.exec("DROP SERVER \"reader-b\" CASCADE");
        }
        assertThat(mapped.exitCode()).as(mapped.output()).isZero();
        long runId = JSON.readTree(mapped.stdout()).get("tables").get(0).get("run_id").asLong();
        assertThat(local.queryString("SELECT peer FROM steep_repl.overlap_runs WHERE run_id = " + runId))
                .isEqualTo("foreign server \"reader-b\"");

        // Known to the CLI only: the server gets host, port, database and user; the password stays here,
        // so dblink refuses the reader (not a superuser) and says how to give the server one.
        CliDriver.Result refused = overlap("reader-a", "reader-b", "--tables", "public.accounts", "-c", "reader-a");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(6);
        assertThat(refused.stderr()).contains("password is required").contains("name a foreign server");
        assertThat(refused.output()).doesNotContain(READER_PASSWORD);
        assertThat(local.log()).doesNotContain(READER_PASSWORD);
    }

    @Test
    void aTableWithoutAPrimaryKeyIsRefusedWithAHintUnlessKeyColumnsAreGiven() {
        local.exec("CREATE TABLE IF NOT EXISTS public.loose (a int)");
        peer.exec("CREATE TABLE IF NOT EXISTS public.loose (a int)");

        CliDriver.Result keyless = overlap("node-a", "node-b", "--tables", "public.loose", "-c", "node-a");
        assertThat(keyless.exitCode()).isEqualTo(1);
        assertThat(keyless.stderr()).contains("has no primary key").contains("key_columns");

        CliDriver.Result keyed = overlap("node-a", "node-b", "--key-columns", "public.loose=a", "--tables",
                "public.loose,public.accounts", "-c", "node-a");
        assertThat(keyed.exitCode()).as(keyed.output()).isZero();
        assertThat(keyed.stdout()).contains("public.loose").contains("public.accounts");
    }
}
