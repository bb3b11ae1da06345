package io.steep.repl.it.pg18;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.OtherPostgres;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's target version as the peer: this node runs PostgreSQL 15 with steep_repl (and its
 * worker, for the jobs that run against a peer), the peer runs PostgreSQL 18 from the build's
 * copy ({@link OtherPostgres#pg18()}) without steep_repl, and the two servers default to other
 * time zones, date and interval styles, float digits and bytea output. Schema compare, from the
 * CLI and through the server, and overlap analysis through dblink, must read 18 as they read 15.
 * Each test works on tables of its own, built by {@link #diverged}, which later peer operations
 * (the merge) reuse.
 */
class Pg18PeerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The same schema on both nodes: every kind of component the fingerprint covers. */
    private static final List<String> APP_SCHEMA = List.of(
            "CREATE SCHEMA app",
            "CREATE TYPE app.state AS ENUM ('new', 'active')",
            "CREATE TABLE app.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "email text NOT NULL UNIQUE, created timestamptz DEFAULT now(), "
                    + "state app.state DEFAULT 'new', name varchar(80) COLLATE \"C\", "
                    + "score numeric(8, 2) CHECK (score >= 0), tags text[] DEFAULT '{}')",
            "CREATE TABLE app.orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES app.customers, "
                    + "placed date DEFAULT '2024-02-29', qty int, price money, lines jsonb, "
                    + "weight numeric GENERATED ALWAYS AS (qty * 0.25) STORED)",
            "CREATE INDEX orders_customer ON app.orders (customer_id) WHERE placed > '2024-01-01'",
            "CREATE TABLE app.events (id bigint, at timestamptz, payload bytea, PRIMARY KEY (id, at)) "
                    + "PARTITION BY RANGE (at)",
            "CREATE TABLE app.events_2024 PARTITION OF app.events "
                    + "FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00')");
    private static PgCluster local;
    private static PgCluster peer;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        Path pg18 = OtherPostgres.pg18();   // fails, never skips, without the build's copy
        local = WorkerClusters.start("pg18-local", "timezone", "Pacific/Auckland", "datestyle", "SQL, DMY",
                "intervalstyle", "iso_8601", "extra_float_digits", "0");
        try {
            peer = PgCluster.builder().name("pg18-peer").plainPeer(pg18)
                    .settings("timezone", "America/Caracas", "datestyle", "German, MDY",
                            "intervalstyle", "sql_standard", "extra_float_digits", "-2", "bytea_output", "escape")
                    .start();
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        assertThat(peer.queryLong("SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(18);
        assertThat(local.queryLong("SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(15);
        local.exec("CREATE EXTENSION dblink");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    private static String peerConninfo() {
        return peer.conninfo("postgres", PgCluster.SUPERUSER);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private CliDriver.Result cli(String... args) {
        return new CliDriver(home).run(args);
    }

    private static void both(List<String> statements) {
        local.exec(statements.toArray(String[]::new));
        peer.exec(statements.toArray(String[]::new));
    }

    @Test
    void equalSchemasAreCompatibleFromTheCliAndThroughTheServer() throws Exception {
        both(APP_SCHEMA);

        CliDriver.Result fromHere = cli("-c", local.conninfo("postgres", PgCluster.SUPERUSER), "--json",
                "schema", "compare", "--peer", peerConninfo(), "--schema", "app");
        assertThat(fromHere.exitCode()).as(fromHere.output()).isZero();
        JsonNode document = JSON.readTree(fromHere.stdout());
        assertThat(document.get("compatible").asBoolean()).isTrue();
        assertThat(document.get("tables")).extracting(t -> t.get("table").asText() + " " + t.get("status").asText())
                .containsExactlyInAnyOrder("customers match", "orders match", "events match", "events_2024 match");

        CliDriver.Result viaServer = cli("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "schema", "compare", "--peer", peerConninfo(), "--via-server", "--schema", "app");
        assertThat(viaServer.exitCode()).as(viaServer.output()).isZero();
        assertThat(viaServer.stdout()).contains("summary: 4 tables: 4 match, 0 mismatch, 0 local only, 0 remote only; "
                + "compatible");

        assertThat(local.query("postgres", "SELECT table_name, status, blocking FROM steep_repl.compare_schema("
                + literal(peerConninfo()) + ", ARRAY['app']) ORDER BY table_name"))
                .containsExactly(List.of("customers", "match", "f"), List.of("events", "match", "f"),
                        List.of("events_2024", "match", "f"), List.of("orders", "match", "f"));
    }

    @Test
    void aColumnDifferenceBlocksFromTheCliAndThroughTheServer() throws Exception {
        local.exec("CREATE SCHEMA drift", "CREATE TABLE drift.stock (id int PRIMARY KEY, sku text, qty int)");
        peer.exec("CREATE SCHEMA drift", "CREATE TABLE drift.stock (id int PRIMARY KEY, sku text, qty bigint)");

        CliDriver.Result fromHere = cli("-c", local.conninfo("postgres", PgCluster.SUPERUSER), "--json",
                "schema", "compare", "--peer", peerConninfo(), "--schema", "drift");
        assertThat(fromHere.exitCode()).as(fromHere.output()).isEqualTo(3);
        JsonNode stock = JSON.readTree(fromHere.stdout()).get("tables").get(0);
        assertThat(stock.get("status").asText()).isEqualTo("mismatch");
        assertThat(stock.get("blocking").asBoolean()).isTrue();
        assertThat(stock.get("differences")).extracting(d -> d.get("component").asText() + " "
                + d.get("object").asText() + " " + d.get("difference").asText() + " " + d.get("blocking").asBoolean())
                .containsExactly("columns qty type true");

        CliDriver.Result viaServer = cli("-c", local.conninfo("postgres", PgCluster.SUPERUSER),
                "schema", "compare", "--peer", peerConninfo(), "--via-server", "--schema", "drift");
        assertThat(viaServer.exitCode()).as(viaServer.output()).isEqualTo(3);
        assertThat(viaServer.stdout()).contains("column qty: type local integer, remote bigint  BLOCKING");

        assertThat(local.query("postgres", "SELECT table_name, status, blocking, components FROM "
                + "steep_repl.compare_schema(" + literal(peerConninfo()) + ", ARRAY['drift'])"))
                .containsExactly(List.of("stock", "mismatch", "t", "{columns}"));
    }

    @Test
    void overlapAnalysisCountsEveryCategoryExactlyWithoutFalseConflicts() {
        Divergence expected = diverged("public.accounts");

        List<List<String>> counts = local.query("postgres", "SELECT local_rows, remote_rows, matches, conflicts, "
                + "local_only, remote_only, buckets_differing < buckets, run_id FROM steep_repl.analyze_overlap("
                + literal(peerConninfo()) + ", ARRAY['public.accounts'], '{\"rows_per_bucket\": 100, \"keep\": true}')");

        assertThat(counts).hasSize(1);
        List<String> row = counts.get(0);
        assertThat(row.subList(0, 7)).containsExactly(Long.toString(expected.localRows()),
                Long.toString(expected.remoteRows()), Long.toString(expected.matches()),
                Long.toString(expected.conflicts().size()), Long.toString(expected.localOnly().size()),
                Long.toString(expected.remoteOnly().size()), "t");
        // Exactly the rows changed are reported, so no equal row was taken for a conflict.
        assertThat(keys(row.get(7), "conflict")).containsExactlyInAnyOrderElementsOf(expected.conflicts());
        assertThat(keys(row.get(7), "local_only")).containsExactlyInAnyOrderElementsOf(expected.localOnly());
        assertThat(keys(row.get(7), "remote_only")).containsExactlyInAnyOrderElementsOf(expected.remoteOnly());
    }

    @Test
    void aMergeWithThePeerCopiesEveryDifferenceAndLeavesNone() {
        Divergence expected = diverged("public.merged");

        String mergeId = local.queryString("SELECT merge_id FROM steep_repl.start_merge(" + literal(peerConninfo())
                + ", ARRAY['public.merged'], 'prefer-local')");

        // prefer-local: rows only here and every conflict go to the peer, rows only there come here
        assertThat(local.query("postgres", "SELECT status, coalesce(error_message, ''), local_only, remote_only, "
                + "conflicts, rows_to_peer, rows_to_local FROM steep_repl.wait_merge('" + mergeId + "', '2 minutes')"))
                .containsExactly(List.of("complete", "", Long.toString(expected.localOnly().size()),
                        Long.toString(expected.remoteOnly().size()), Long.toString(expected.conflicts().size()),
                        Long.toString(expected.localOnly().size() + expected.conflicts().size()),
                        Long.toString(expected.remoteOnly().size())));
        assertThat(local.query("postgres", "SELECT local_rows, remote_rows, matches, local_only, remote_only, conflicts "
                + "FROM steep_repl.analyze_overlap(" + literal(peerConninfo()) + ", ARRAY['public.merged'])"))
                .containsExactly(List.of("3002", "3002", "3002", "0", "0", "0"));
    }

    private static List<String> keys(String runId, String category) {
        return local.query("postgres", "SELECT key_text FROM steep_repl.overlap_details(" + runId + ", NULL, "
                + literal(category) + ", 1000)").stream().map(r -> r.get(0)).toList();
    }

    /** What {@link #diverged} did to a table: the expected counts and the keys (as key_text) of each category. */
    record Divergence(long localRows, long remoteRows, long matches, List<String> conflicts, List<String> localOnly,
            List<String> remoteOnly) {
    }

    /**
     * Creates {@code table} on both nodes with a composite key (one part sometimes '') and 20
     * data types, the same 3000 rows on both, then changes it on each side: 4 conflicts (NULL
     * against a value, a double in its last bits, a timestamptz by a microsecond, a jsonb), 5
     * rows on this node only and 2 on the peer only.
     */
    static Divergence diverged(String table) {
        String create = "CREATE TABLE " + table + " (id int, region text, t text, v varchar(9), b bytea, d date, "
                + "ts timestamp, tz timestamptz, tm time, ttz timetz, iv interval, f4 real, f8 double precision, "
                + "n numeric, m money, j jsonb, u uuid, ip inet, a int[], ok boolean, PRIMARY KEY (id, region))";
        String rows = "INSERT INTO " + table + " SELECT i, CASE WHEN i % 3 = 0 THEN '' ELSE 'r' || (i % 5) END, "
                + "CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'NULL' ELSE 'é,''x' || i END, 'v' || i, "
                + "decode(md5(i::text), 'hex'), date '2024-02-29' + i, "
                + "timestamp '2024-01-01 12:34:56.789' + i * interval '1 hour', "
                + "timestamptz '2024-03-31 01:30:00.123456+00' + i * interval '7 hours', time '13:14:15.5', "
                + "timetz '01:02:03+05:30', make_interval(0, i, 0, i, i, i, 0.25), 1.0 / i, "
                + "CASE i WHEN 100 THEN 'NaN' WHEN 101 THEN '-Infinity' WHEN 102 THEN '-0' ELSE 1.0 / 3 * i END, "
                + "1.0 / 7 * i, (i * 1.25)::numeric::money, jsonb_build_object('i', i, 'a', ARRAY[i, -i]), "
                + "md5(i::text)::uuid, '192.168.0.1'::inet + i, ARRAY[i, NULL, -i], i % 2 = 0 "
                + "FROM generate_series(1, 3000) i";
        both(List.of(create, rows));
        local.exec("UPDATE " + table + " SET t = NULL WHERE id = 3",
                "UPDATE " + table + " SET f8 = f8 * 2 WHERE id = 7",
                "DELETE FROM " + table + " WHERE id IN (9, 10)",
                "INSERT INTO " + table + " (id, region) VALUES (9001, 'x'), (9002, '')");
        peer.exec("UPDATE " + table + " SET tz = tz + interval '1 microsecond' WHERE id = 11",
                "UPDATE " + table + " SET j = j || '{\"i\": 0}' WHERE id = 13",
                "DELETE FROM " + table + " WHERE id IN (20, 21, 22)");
        return new Divergence(3000, 2997, 2991,
                List.of(key(3), key(7), key(11), key(13)),
                List.of(key(20), key(21), key(22), "'9001','x'", "'9002',''"),
                List.of(key(9), key(10)));
    }

    /** The key_text of generated row {@code i}: id and region, as analyze_overlap writes them. */
    private static String key(int i) {
        return "'" + i + "','" + (i % 3 == 0 ? "" : "r" + (i % 5)) + "'";
    }
}
