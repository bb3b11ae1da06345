package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * steep_repl.start_merge between two clusters: every category lands where its strategy says,
 * every decision is audited, a dry run changes nothing, and the analysis afterwards finds the
 * tables equal.
 */
class MergeIT {
    private static PgCluster local;
    private static PgCluster peer;

    @BeforeAll
    static void start() {
        local = WorkerClusters.start("merge-local", "timezone", "Pacific/Auckland", "datestyle", "SQL, DMY");
        peer = PgCluster.builder().name("merge-peer").preload(false)
                .settings("timezone", "America/Caracas", "intervalstyle", "sql_standard",
                        "extra_float_digits", "-2", "bytea_output", "escape").start();
        local.exec("CREATE EXTENSION dblink");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(local, peer);
    }

    /** The same table on both nodes: rows 1..20 alike, then one of each difference. */
    static void diverge(String table) {
        String create = "CREATE TABLE " + table + " (id int, region text, note text, at timestamptz, "
                + "period interval, blob bytea, score double precision, PRIMARY KEY (id, region))";
        String rows = "INSERT INTO " + table + " SELECT i, 'r' || (i % 3), 'n' || i, "
                + "timestamptz '2024-03-31 01:30:00+00' + i * interval '7 hours', make_interval(0, 0, 0, i), "
                + "decode(md5(i::text), 'hex'), 1.0 / i FROM generate_series(1, 20) i";
        local.exec(create, rows);
        peer.exec(create, rows);
        local.exec("INSERT INTO " + table + " (id, region, note) VALUES (100, '', 'only here')",
                "UPDATE " + table + " SET note = 'changed here' WHERE id = 5",
                "UPDATE " + table + " SET note = NULL WHERE id = 6");
        peer.exec("INSERT INTO " + table + " (id, region, note) VALUES (200, 'x', 'only there')",
                "UPDATE " + table + " SET note = 'changed there' WHERE id = 7");
    }

    static String peerInfo() {
        return peer.conninfo("postgres", PgCluster.SUPERUSER);
    }

    static List<String> merge(String sql) {
        String mergeId = local.queryString("SELECT merge_id FROM " + sql);
        return local.query("postgres", "SELECT status, coalesce(error_message, '') FROM steep_repl.wait_merge('"
                + mergeId + "', '2 minutes')").get(0);
    }

    static List<String> overlap(String table) {
        return local.query("postgres", "SELECT local_only, remote_only, conflicts FROM steep_repl.analyze_overlap('"
                + peerInfo() + "', ARRAY['" + table + "'])").get(0);
    }

    @Test
    void preferLocalMergesBothWaysAndConverges() {
        diverge("public.pl");
        assertThat(overlap("public.pl")).containsExactly("1", "1", "3");

        List<String> outcome = merge("steep_repl.start_merge('" + peerInfo() + "', ARRAY['public.pl'])");

        assertThat(outcome).as(local.log()).containsExactly("complete", "");
        assertThat(overlap("public.pl")).containsExactly("0", "0", "0");
        assertThat(peer.queryString("SELECT note FROM public.pl WHERE id = 5")).isEqualTo("changed here");
        assertThat(peer.queryString("SELECT coalesce(note, 'NULL') FROM public.pl WHERE id = 6")).isEqualTo("NULL");
        assertThat(peer.queryString("SELECT note FROM public.pl WHERE id = 7")).isEqualTo("n7");
        assertThat(local.queryString("SELECT note FROM public.pl WHERE id = 200")).isEqualTo("only there");
        assertThat(peer.queryString("SELECT note FROM public.pl WHERE id = 100")).isEqualTo("only here");
        assertThat(local.query("postgres", "SELECT category, resolution, key_text FROM steep_repl.merge_decisions "
                + "ORDER BY category, key_text")).containsExactly(
                List.of("conflict", "to_peer", "'5','r2'"),
                List.of("conflict", "to_peer", "'6','r0'"),
                List.of("conflict", "to_peer", "'7','r1'"),
                List.of("local_only", "to_peer", "'100',''"),
                List.of("remote_only", "to_local", "'200','x'"));
    }
}
