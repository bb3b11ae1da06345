package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.testkit.PgCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * last-modified without a timestamp column: with track_commit_timestamp on both nodes the row
 * committed last wins, in either direction; a peer that keeps no commit timestamps is refused
 * before any change. (A node that keeps none itself: MergeIT.)
 */
class MergeCommitTimestampIT {
    private static MergePair nodes;
    private static PgCluster untracked;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("merge-committs", "track_commit_timestamp", "on");
        untracked = PgCluster.builder().name("merge-committs-off").preload(false).start();
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(untracked);
        nodes.close();
    }

    @Test
    void theRowCommittedLastWinsInEitherDirection() {
        nodes.both("CREATE TABLE public.ct (id int PRIMARY KEY, note text)", "INSERT INTO public.ct VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        // each statement commits after the one before it
        nodes.local.exec("UPDATE public.ct SET note = 'here first' WHERE id = 1");
        nodes.peer.exec("UPDATE public.ct SET note = 'there last' WHERE id = 1", "UPDATE public.ct SET note = 'there first' WHERE id = 2");
        nodes.local.exec("UPDATE public.ct SET note = 'here last' WHERE id = 2");

        assertThat(nodes.merge("ARRAY['public.ct'], 'last-modified'")).containsExactly("complete", "");

        assertThat(nodes.overlap("public.ct")).containsExactly("0", "0", "0");
        assertThat(nodes.peer.query("postgres", "SELECT note FROM public.ct ORDER BY id"))
                .containsExactly(List.of("there last"), List.of("here last"), List.of("c"));
        assertThat(nodes.local.query("postgres", "SELECT key_text, resolution, reason ~ '^here 2\\d{3}-.*, on the peer 2\\d{3}-' "
                + "FROM steep_repl.merge_decisions WHERE merge_id = '" + nodes.lastMerge() + "' ORDER BY key_text"))
                .containsExactly(List.of("'1'", "to_local", "t"), List.of("'2'", "to_peer", "t"));
    }

    @Test
    void aPeerWithoutCommitTimestampsIsRefusedBeforeAnyChange() {
        String table = "CREATE TABLE public.untracked (id int PRIMARY KEY, note text)";
        nodes.local.exec(table, "INSERT INTO public.untracked VALUES (1, 'here'), (2, 'here')");
        untracked.exec(table, "INSERT INTO public.untracked VALUES (1, 'there'), (3, 'there')");
        List<String> localBefore = MergePair.rows(nodes.local, "public.untracked");
        List<String> peerBefore = MergePair.rows(untracked, "public.untracked");

        String mergeId = nodes.local.queryString("SELECT merge_id FROM steep_repl.start_merge('"
                + untracked.conninfo("postgres", PgCluster.SUPERUSER) + "', ARRAY['public.untracked'], 'last-modified')");

        assertThat(nodes.outcome(mergeId).get(0)).isEqualTo("failed");
        assertThat(nodes.outcome(mergeId).get(1)).contains("strategy last-modified needs commit timestamps on both nodes, "
                + "and peer ").contains(" has none");
        assertThat(MergePair.rows(nodes.local, "public.untracked")).isEqualTo(localBefore);
        assertThat(MergePair.rows(untracked, "public.untracked")).isEqualTo(peerBefore);
        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_decisions WHERE merge_id = '" + mergeId + "'"))
                .isZero();
    }
}
