package io.steep.repl.it.snapshot.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Clusters, snapshot directories, apply jobs and table digests for the apply and round-trip tests. */
public final class ApplySupport {
    static final Set<String> FINAL = Set.of("complete", "failed", "cancelled");
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

    /**
     * The awkward cases: partitions, quoted, mixed-case and unicode names, the common built-in
     * types with arrays, json, bytea, numeric, timestamptz, interval, uuid and inet, TOASTed
     * values, identity and generated columns, a table without a primary key, sequences, a
     * foreign key, an index and a trigger.
     */
    public static final List<String> AWKWARD_SCHEMA = List.of(
            "CREATE SCHEMA app",
            "CREATE SCHEMA \"Mixed Ünïcode\"",
            "CREATE TABLE app.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, "
                    + "email text UNIQUE)",
            "CREATE TABLE app.orders (id serial PRIMARY KEY, customer bigint REFERENCES app.customers(id), "
                    + "total numeric(12,2), placed timestamptz, note text, "
                    + "total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED)",
            "CREATE INDEX orders_placed ON app.orders (placed)",
            "CREATE TABLE \"Mixed Ünïcode\".\"Täble \"\"Quoted\"\"\" (k int, \"Välue\" text)",
            "CREATE TABLE app.types (b boolean, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, "
                    + "n numeric, t text, vc varchar(20), c char(3), by bytea, d date, tm time, ts timestamp, "
                    + "tz timestamptz, iv interval, u uuid, ip inet, cidr cidr, mac macaddr, j json, jb jsonb, "
                    + "ia int[], ta text[], r int4range, pt point, x xml, bits bit varying(8), money money)",
            "CREATE TABLE app.events (id int, at date, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
            "CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            "CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "CREATE INDEX events_payload ON app.events (payload)",
            "CREATE SEQUENCE app.counter START 100 INCREMENT 7",
            "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
            "CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch()");

    public static final List<String> AWKWARD_DATA = List.of(
            "INSERT INTO app.customers (name, email) SELECT 'customer ' || g, 'c' || g || '@example.com' "
                    + "FROM generate_series(1, 500) g",
            "INSERT INTO app.orders (customer, total, placed, note) SELECT 1 + g % 500, g * 1.25, "
                    + "timestamptz '2026-01-01 00:00+00' + g * interval '1 minute', "
                    + "CASE WHEN g % 100 = 0 THEN repeat(md5(g::text), 4000) WHEN g % 7 = 0 THEN NULL "
                    + "ELSE E'tab\\there\\nnewline \\\\ back ' || g END FROM generate_series(1, 3000) g",
            "INSERT INTO \"Mixed Ünïcode\".\"Täble \"\"Quoted\"\"\" SELECT g % 3, 'välüe ✓ ' || g "
                    + "FROM generate_series(1, 50) g",
            "INSERT INTO \"Mixed Ünïcode\".\"Täble \"\"Quoted\"\"\" SELECT 1, 'välüe ✓ 1' FROM generate_series(1, 3)",
            "INSERT INTO app.types SELECT g % 2 = 0, g, g * 1000, g * 10000000000, g / 3.0, g / 7.0, "
                    + "g * 1.000000000000000000001, 'text ' || g, 'vc' || g, 'c' || g % 10, "
                    + "decode(md5(g::text), 'hex') || '\\x00ff'::bytea, date '2026-01-01' + g, time '12:00' + g * "
                    + "interval '1 s', timestamp '2026-01-01' + g * interval '1 h', timestamptz '2026-01-01 "
                    + "00:00+05' + g * interval '1 day', g * interval '1 day 2 hours 3.5 seconds', md5(g::text)::uuid, "
                    + "('10.0.0.' || g % 250)::inet, '192.168.0.0/16', '08:00:2b:01:02:03', json_build_object('g', g, "
                    + "'s', 'a\"b'), jsonb_build_object('arr', jsonb_build_array(g, null, 'x')), ARRAY[g, NULL, -g], "
                    + "ARRAY['a b', NULL, 'c\"d', '{}'], int4range(g, g + 10), point(g, -g), "
                    + "('<x a=\"' || g || '\">&amp;</x>')::xml, (g % 256)::bit(8)::varbit, g * 1.5 "
                    + "FROM generate_series(1, 200) g",
            "INSERT INTO app.types (t) VALUES (NULL), (''), ('\\N')",
            "INSERT INTO app.events SELECT g, date '2025-06-01' + (g % 400), 'p' || g FROM generate_series(1, 1000) g",
            "SELECT nextval('app.counter') FROM generate_series(1, 3)");

    private ApplySupport() {
    }

    /** The statements that fill a source with the awkward schema and data, then {@code more}. */
    public static String[] awkwardSource(String... more) {
        List<String> setup = new ArrayList<>(AWKWARD_SCHEMA);
        setup.addAll(AWKWARD_DATA);
        setup.addAll(List.of(more));
        return setup.toArray(String[]::new);
    }

    /** Empties a target the awkward snapshot was applied to: its schemas, and the ledger of loads. */
    public static void emptyAwkwardTarget(PgCluster target) {
        target.exec("DROP SCHEMA IF EXISTS app, \"Mixed Ünïcode\" CASCADE", "DELETE FROM steep_repl.snapshot_loads");
    }

    /** A cluster with the extension and a connected worker. */
    public static PgCluster startCluster(String name, String... settings) {
        return WorkerClusters.start(name, settings);
    }

    static void makeReadableByServer(Path dir) throws IOException {
        PgCluster.giveToServer(dir);
    }

    public static String newRunId() {
        return "snap_20260101_000000_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Submits a snapshot.apply job as {@code role} and returns its id. */
    public static long submitApply(PgCluster target, String role, Path dir, int parallel, boolean verify,
            boolean replace, int maxAttempts) throws SQLException {
        String params = "{\"snapshot_id\": \"" + newRunId() + "\", \"path\": \"" + dir + "\", \"parallel\": "
                + parallel + ", \"verify\": " + verify + ", \"options\": {\"replace\": " + replace + "}}";
        try (Connection c = target.connect("postgres", role);
                PreparedStatement ps = c.prepareStatement("SELECT id FROM steep_repl.submit_job('snapshot.apply', "
                        + "?::jsonb, ?)")) {
            ps.setString(1, params);
            ps.setInt(2, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static String job(PgCluster cluster, long id, String column) {
        return cluster.queryString("SELECT " + column + " FROM steep_repl.work_queue WHERE id = " + id);
    }

    public static String awaitFinal(PgCluster cluster, long id) {
        PgCluster.waitFor(JOB_TIMEOUT, () -> FINAL.contains(job(cluster, id, "status")),
                "job " + id + " to finish (it is " + job(cluster, id, "status") + ")");
        return job(cluster, id, "status");
    }

    /** Per table of the database outside steep_repl: row count and an ordered digest of its rows. */
    public static Map<String, String> digests(PgCluster cluster, String database) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (List<String> rel : cluster.query(database, "SELECT format('%I.%I', n.nspname, c.relname) "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'steep_repl') "
                + "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1")) {
            String table = rel.get(0);
            List<List<String>> row = cluster.query(database, "SELECT count(*) || ':' || "
                    + "coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM ONLY " + table + " AS t");
            digests.put(table, row.get(0).get(0));
        }
        return digests;
    }

    /** Every sequence outside steep_repl with its last value and whether it was called. */
    public static Map<String, String> sequences(PgCluster cluster, String database) {
        Map<String, String> values = new LinkedHashMap<>();
        for (List<String> seq : cluster.query(database, "SELECT format('%I.%I', schemaname, sequencename), "
                + "coalesce(last_value::text, 'unset') FROM pg_sequences WHERE schemaname <> 'steep_repl' ORDER BY 1")) {
            values.put(seq.get(0), seq.get(1));
        }
        return values;
    }

    /** Index, constraint and trigger definitions outside steep_repl, to compare schemas. */
    public static List<List<String>> postDataObjects(PgCluster cluster, String database) {
        return cluster.query(database, "SELECT 'index', pg_get_indexdef(i.indexrelid) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'steep_repl') AND n.nspname NOT LIKE 'pg_toast%' "
                + "UNION ALL SELECT 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(k.oid) "
                + "FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'steep_repl') AND k.conrelid <> 0 "
                + "UNION ALL SELECT 'trigger', pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname <> 'steep_repl' "
                + "ORDER BY 1, 2");
    }
}
