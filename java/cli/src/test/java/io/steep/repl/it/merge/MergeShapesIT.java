package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables of every shape merge to equal contents on both nodes, whose servers print values
 * differently: many data types (equal rows give no decision, rows that cross arrive equal),
 * NULL against a value, empty sides, generated and identity columns, a partitioned table,
 * and names that need quoting.
 */
class MergeShapesIT {
    private static final String TYPES = "(id int PRIMARY KEY, i2 smallint, i8 bigint, num numeric, r real, "
            + "f double precision, money money, b boolean, t text, vc varchar(20), ch char(5), d date, tm time, "
            + "tz timetz, ts timestamp, tstz timestamptz, iv interval, by bytea, u uuid, js json, jb jsonb, "
            + "ip inet, net cidr, mac macaddr, arr text[], tarr timestamptz[], rng int4range, trng tstzrange, "
            + "bits bit(4), vbits varbit, x xml, pt point, mood public.mood)";
    // json keeps its text as written (spaces, repeated keys), a double its sign of zero: both must cross intact
    private static final String TYPE_ROWS = " SELECT i, i, i * 1000000000000, i / 7.0, 1.0 / i, "
            + "CASE WHEN i % 2 = 0 THEN '-0'::float8 ELSE 1.0 / (3 * i) END, "
            + "i * 1.25, i % 2 = 0, 'é ' || i, 'v' || i, 'c' || i, date '2024-02-28' + i, time '23:59:59.999999', "
            + "timetz '12:00+05:30', timestamp '2024-03-31 02:30' + i * interval '1 hour', "
            + "timestamptz '2024-03-31 01:30:00+00' + i * interval '7 hours', make_interval(0, 1, 0, i, 0, 0, 0.5), "
            + "decode(md5(i::text), 'hex'), md5(i::text)::uuid, ('{\"a\":[1,2.50],  \"a\" : ' || i || '}')::json, '{\"b\": {\"c\": null}}', "
            + "('10.0.0.' || i)::inet, ('10.' || i || '.0.0/16')::cidr, '08:00:2b:01:02:03', ARRAY['a', NULL, 'c' || i], "
            + "ARRAY[timestamptz '2024-01-01 00:00+00' + i * interval '1 day'], int4range(i, i + 10), "
            + "tstzrange(timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-01 00:00+00' + i * interval '1 day'), "
            + "B'1010', B'10', ('<a>' || i || '</a>')::xml, point(i, 1.0 / i), 'happy'";
    private static MergePair nodes;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("merge-shapes");
        nodes.both("CREATE TYPE public.mood AS ENUM ('sad', 'happy')");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    static List<String> converged(String table, String args) {
        List<String> outcome = nodes.merge(args);
        assertThat(MergePair.rows(nodes.local, table)).as("%s after the merge", table)
                .isEqualTo(MergePair.rows(nodes.peer, table));
        return outcome;
    }

    static List<String> counts() {
        return nodes.local.query("postgres", "SELECT matches, local_only, remote_only, conflicts, rows_to_peer, "
                + "rows_to_local FROM steep_repl.merge_audit_log WHERE merge_id = '" + nodes.lastMerge() + "'").get(0);
    }

    @Test
    void equalRowsOfManyTypesGiveNoDecisionAndRowsThatCrossArriveEqual() {
        nodes.both("CREATE TABLE public.types " + TYPES, "INSERT INTO public.types" + TYPE_ROWS
                + " FROM generate_series(1, 50) i",
                "INSERT INTO public.types (id, num, r, f) VALUES (0, 'NaN', 'Infinity', '-Infinity')");
        nodes.local.exec("INSERT INTO public.types" + TYPE_ROWS + " FROM generate_series(101, 110) i",
                "UPDATE public.types SET js = '{\"a\" :  1}', f = '-0' WHERE id = 1");
        nodes.peer.exec("INSERT INTO public.types" + TYPE_ROWS + " FROM generate_series(201, 210) i");

        assertThat(converged("public.types", "ARRAY['public.types']")).containsExactly("complete", "");

        assertThat(counts()).containsExactly("50", "10", "10", "1", "11", "10");
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_decisions WHERE merge_id = '"
                + nodes.lastMerge() + "'")).isEqualTo(21);
        assertThat(nodes.overlap("public.types")).containsExactly("0", "0", "0");
        assertThat(nodes.merge("ARRAY['public.types']")).containsExactly("complete", "");
        assertThat(counts()).containsExactly("71", "0", "0", "0", "0", "0");
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_decisions WHERE merge_id = '"
                + nodes.lastMerge() + "'")).isZero();
    }

    @Test
    void nullAgainstAValueIsAConflict() {
        nodes.both("CREATE TABLE public.nulls (id int PRIMARY KEY, v text)");
        nodes.local.exec("INSERT INTO public.nulls VALUES (1, NULL), (2, NULL), (3, ''), (4, NULL)");
        nodes.peer.exec("INSERT INTO public.nulls VALUES (1, ''), (2, 'NULL'), (3, NULL), (4, NULL)");

        assertThat(converged("public.nulls", "ARRAY['public.nulls'], 'prefer-remote'")).containsExactly("complete", "");

        assertThat(counts()).containsExactly("1", "0", "0", "3", "0", "3");
        assertThat(nodes.local.query("postgres", "SELECT id, coalesce(v, '<null>') FROM public.nulls ORDER BY id"))
                .containsExactly(List.of("1", ""), List.of("2", "NULL"), List.of("3", "<null>"), List.of("4", "<null>"));
    }

    @Test
    void oneEmptySideReceivesEveryRowAndTwoEmptySidesMergeToNothing() {
        nodes.both("CREATE TABLE public.empty_peer (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.empty_local (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.empty_both (id int PRIMARY KEY, v text)");
        // more rows than one statement sends to the peer
        nodes.local.exec("INSERT INTO public.empty_peer SELECT i, 'v' || i FROM generate_series(1, 12345) i");
        nodes.peer.exec("INSERT INTO public.empty_local SELECT i, 'w' || i FROM generate_series(1, 321) i");

        assertThat(converged("public.empty_peer", "ARRAY['public.empty_peer']")).containsExactly("complete", "");
        assertThat(counts()).containsExactly("0", "12345", "0", "0", "12345", "0");
        assertThat(converged("public.empty_local", "ARRAY['public.empty_local']")).containsExactly("complete", "");
        assertThat(counts()).containsExactly("0", "0", "321", "0", "0", "321");
        assertThat(converged("public.empty_both", "ARRAY['public.empty_both']")).containsExactly("complete", "");
        assertThat(counts()).containsExactly("0", "0", "0", "0", "0", "0");
        assertThat(nodes.peer.queryLong("SELECT count(*) FROM public.empty_peer")).isEqualTo(12345);
        assertThat(nodes.local.queryLong("SELECT count(*) FROM public.empty_local")).isEqualTo(321);
        assertThat(nodes.local.queryLong("SELECT count(*) FROM public.empty_both")).isZero();
    }

    @Test
    void generatedAndIdentityColumnsKeepTheirValuesAndGenerateTheRest() {
        String table = "CREATE TABLE public.gen (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                + "serial_no bigint GENERATED BY DEFAULT AS IDENTITY, price numeric, "
                + "gross numeric GENERATED ALWAYS AS (price * 1.2) STORED)";
        nodes.both(table, "INSERT INTO public.gen (price) SELECT i FROM generate_series(1, 5) i");
        // the same identities hold other rows on each node: conflicts, and rows only on one side
        nodes.local.exec("UPDATE public.gen SET price = 100 WHERE id = 2", "INSERT INTO public.gen (price) VALUES (6)");
        nodes.peer.exec("UPDATE public.gen SET price = 200 WHERE id = 3",
                "INSERT INTO public.gen (price) VALUES (7), (8)", "DELETE FROM public.gen WHERE id = 6");

        assertThat(converged("public.gen", "ARRAY['public.gen']")).containsExactly("complete", "");

        assertThat(counts()).containsExactly("3", "1", "1", "2", "3", "1");
        assertThat(nodes.peer.query("postgres", "SELECT id, serial_no, price, gross FROM public.gen ORDER BY id"))
                .containsExactly(List.of("1", "1", "1", "1.2"), List.of("2", "2", "100", "120.0"),
                        List.of("3", "3", "3", "3.6"), List.of("4", "4", "4", "4.8"), List.of("5", "5", "5", "6.0"),
                        List.of("6", "6", "6", "7.2"), List.of("7", "7", "8", "9.6"));
    }

    @Test
    void anIdentityColumnAlwaysGeneratedOutsideTheKeyIsRefusedUnlessManual() {
        nodes.both("CREATE TABLE public.tickets (code text PRIMARY KEY, n int GENERATED ALWAYS AS IDENTITY, v text)");
        nodes.local.exec("INSERT INTO public.tickets (code, v) VALUES ('a', 'here'), ('b', 'here')");
        nodes.peer.exec("INSERT INTO public.tickets (code, v) VALUES ('b', 'there'), ('a', 'there'), ('c', 'there')");
        List<List<String>> before = List.of(MergePair.rows(nodes.local, "public.tickets"),
                MergePair.rows(nodes.peer, "public.tickets"));
        long runs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");

        // an UPDATE may set such a column only to DEFAULT: refused before any change, naming the column
        assertThatThrownBy(() -> nodes.local.exec("SELECT " + nodes.startMerge("ARRAY['public.tickets'], 'prefer-remote'")))
                .hasMessageContaining("column n of table public.tickets is GENERATED ALWAYS AS IDENTITY outside its key")
                .hasMessageContaining("SET GENERATED BY DEFAULT");
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(runs);
        assertThat(List.of(MergePair.rows(nodes.local, "public.tickets"), MergePair.rows(nodes.peer, "public.tickets")))
                .isEqualTo(before);

        // manual updates nothing: the one-sided row crosses with its identity, the conflicts stay
        assertThat(nodes.merge("ARRAY['public.tickets'], 'manual'")).containsExactly("complete", "");
        assertThat(counts()).containsExactly("0", "0", "1", "2", "0", "1");
        assertThat(nodes.local.queryString("SELECT n FROM public.tickets WHERE code = 'c'")).isEqualTo("3");
    }

    @Test
    void aTableWithoutPrimaryKeyMergesByTheKeyColumnsGivenAndColumnsPairByName() {
        // the peer's columns sit in other positions, and here one was dropped
        nodes.local.exec("CREATE TABLE public.keyed (gone int, code text NOT NULL UNIQUE, v text, n int)",
                "ALTER TABLE public.keyed DROP COLUMN gone");
        nodes.peer.exec("CREATE TABLE public.keyed (n int, v text, code text NOT NULL UNIQUE)");
        nodes.local.exec("INSERT INTO public.keyed VALUES ('a', 'same', 1), ('b', 'here', 2), ('c', 'here', 3)");
        nodes.peer.exec("INSERT INTO public.keyed (code, v, n) VALUES ('a', 'same', 1), ('b', 'there', 20), ('d', 'there', 4)");

        assertThat(nodes.merge("ARRAY['public.keyed'], 'prefer-remote', false, "
                + "'{\"key_columns\": {\"public.keyed\": [\"code\"]}}'")).containsExactly("complete", "");

        assertThat(counts()).containsExactly("1", "1", "1", "1", "1", "2");
        String sql = "SELECT code, v, n FROM public.keyed ORDER BY code";
        assertThat(nodes.local.query("postgres", sql)).isEqualTo(nodes.peer.query("postgres", sql)).containsExactly(
                List.of("a", "same", "1"), List.of("b", "there", "20"), List.of("c", "here", "3"), List.of("d", "there", "4"));
    }

    @Test
    void aPartitionedTableMergesAcrossItsPartitions() {
        nodes.both("CREATE TABLE public.parts (id int, region text, v text, PRIMARY KEY (region, id)) PARTITION BY LIST (region)",
                "CREATE TABLE public.parts_eu PARTITION OF public.parts FOR VALUES IN ('eu')",
                "CREATE TABLE public.parts_us PARTITION OF public.parts FOR VALUES IN ('us')",
                "INSERT INTO public.parts SELECT i, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END, 'v' FROM generate_series(1, 10) i");
        nodes.local.exec("INSERT INTO public.parts VALUES (11, 'eu', 'here')", "UPDATE public.parts SET v = 'here' WHERE id = 1");
        nodes.peer.exec("INSERT INTO public.parts VALUES (12, 'us', 'there')", "UPDATE public.parts SET v = 'there' WHERE id = 2");

        assertThat(converged("public.parts", "ARRAY['public.parts'], 'prefer-remote'")).containsExactly("complete", "");

        assertThat(counts()).containsExactly("8", "1", "1", "2", "1", "3");
        assertThat(nodes.peer.query("postgres", "SELECT tableoid::regclass::text, id, v FROM public.parts "
                + "WHERE id IN (1, 2, 11, 12) ORDER BY id")).containsExactly(List.of("parts_us", "1", "v"), List.of("parts_eu", "2", "there"),
                        List.of("parts_eu", "11", "here"), List.of("parts_us", "12", "there"));
    }

    @Test
    void namesThatNeedQuotingMerge() {
        String table = "\"Odd \"\"Schema\".\"we.ird Tab'le\"";
        nodes.both("CREATE SCHEMA \"Odd \"\"Schema\"",
                "CREATE TABLE " + table + " (\"t\" int, \"Key Col\" text, \"v\" text, \"x\" text, \"k\" text, "
                        + "PRIMARY KEY (\"t\", \"Key Col\"))",
                "INSERT INTO " + table + " SELECT i, 'K' || i, 'same', 'x', 'k' FROM generate_series(1, 5) i");
        nodes.local.exec("INSERT INTO " + table + " VALUES (6, 'K6', 'here', 'x', 'k')",
                "UPDATE " + table + " SET \"v\" = 'here' WHERE \"t\" = 1");
        nodes.peer.exec("INSERT INTO " + table + " VALUES (7, 'K7', 'there', 'x', 'k')",
                "UPDATE " + table + " SET \"v\" = 'there' WHERE \"t\" = 2");

        assertThat(converged(table, "ARRAY[" + MergePair.literal(table) + "], 'prefer-local', false, "
                + MergePair.literal("{\"strategies\": {\"" + table.replace("\"", "\\\"") + "\": \"prefer-remote\"}}")))
                .containsExactly("complete", "");

        assertThat(counts()).containsExactly("3", "1", "1", "2", "1", "3");
        assertThat(nodes.overlap(table)).containsExactly("0", "0", "0");
        assertThat(nodes.local.query("postgres", "SELECT table_name, key_text, resolution, strategy FROM "
                + "steep_repl.merge_decisions WHERE merge_id = '" + nodes.lastMerge() + "' ORDER BY key_text"))
                .containsExactly(List.of("Odd \"Schema.we.ird Tab'le", "'1','K1'", "to_local", "prefer-remote"),
                        List.of("Odd \"Schema.we.ird Tab'le", "'2','K2'", "to_local", "prefer-remote"),
                        List.of("Odd \"Schema.we.ird Tab'le", "'6','K6'", "to_peer", "prefer-remote"),
                        List.of("Odd \"Schema.we.ird Tab'le", "'7','K7'", "to_local", "prefer-remote"));
    }
}
