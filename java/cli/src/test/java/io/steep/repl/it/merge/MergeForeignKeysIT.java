package io.steep.repl.it.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Foreign keys and user triggers during a merge (docs/merge.md, "Triggers and foreign keys"):
 * parents merge before children whatever the order the tables are named in, a cycle is refused
 * before any change, a tree merges in one statement per node, constraints stay enforced, and
 * triggers fire on both nodes as for any INSERT and UPDATE, with a row a trigger skips failing
 * the table's merge with nothing of it merged.
 */
class MergeForeignKeysIT {
    private static MergePair nodes;

    @BeforeAll
    static void start() {
        nodes = MergePair.start("merge-fk");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    static List<String> audit() {
        return nodes.local.query("postgres", "SELECT tables_completed, (SELECT count(*) FROM steep_repl.merge_decisions d "
                + "WHERE d.merge_id = m.merge_id) FROM steep_repl.merge_audit_log m WHERE merge_id = '"
                + nodes.lastMerge() + "'").get(0);
    }

    /** Merges {@code table} (prefer-local), expecting it to fail with {@code error} and change nothing on either node. */
    static void failsWithNothingMerged(String table, String error) {
        List<String> localBefore = MergePair.rows(nodes.local, table);
        List<String> peerBefore = MergePair.rows(nodes.peer, table);

        List<String> outcome = nodes.merge("ARRAY['" + table + "']");

        assertThat(outcome.get(0)).isEqualTo("failed");
        assertThat(outcome.get(1)).contains(error);
        assertThat(audit()).as("tables completed, decisions").containsExactly("0", "0");
        assertThat(MergePair.rows(nodes.local, table)).isEqualTo(localBefore);
        assertThat(MergePair.rows(nodes.peer, table)).isEqualTo(peerBefore);
    }

    @Test
    void parentsMergeBeforeChildrenNamedInReverse() {
        nodes.both("CREATE TABLE public.fk_parent (id int PRIMARY KEY, note text)",
                "CREATE TABLE public.fk_child (id int PRIMARY KEY, parent int NOT NULL REFERENCES public.fk_parent)",
                "CREATE TABLE public.fk_grand (id int PRIMARY KEY, child int NOT NULL REFERENCES public.fk_child)",
                "INSERT INTO public.fk_parent VALUES (1, 'p')", "INSERT INTO public.fk_child VALUES (1, 1)",
                "INSERT INTO public.fk_grand VALUES (1, 1)");
        // a family only here and one only on the peer: every row's parent is one-sided too
        nodes.local.exec("INSERT INTO public.fk_parent VALUES (20, 'here')", "INSERT INTO public.fk_child VALUES (200, 20)",
                "INSERT INTO public.fk_grand VALUES (2000, 200)");
        nodes.peer.exec("INSERT INTO public.fk_parent VALUES (10, 'there')", "INSERT INTO public.fk_child VALUES (100, 10)",
                "INSERT INTO public.fk_grand VALUES (1000, 100)");
        String tables = "ARRAY['public.fk_grand', 'public.fk_child', 'public.fk_parent']";

        assertThat(nodes.local.query("postgres", "SELECT table_name FROM steep_repl._merge_plan(" + tables
                + ", 'prefer-local', false, '{}') ORDER BY merge_order"))
                .containsExactly(List.of("public.fk_parent"), List.of("public.fk_child"), List.of("public.fk_grand"));
        assertThat(nodes.merge(tables)).containsExactly("complete", "");

        for (String table : List.of("public.fk_parent", "public.fk_child", "public.fk_grand")) {
            assertThat(MergePair.rows(nodes.local, table)).as(table).isEqualTo(MergePair.rows(nodes.peer, table));
            assertThat(MergePair.rows(nodes.local, table)).as(table).hasSize(3);
        }
        assertThat(audit()).containsExactly("3", "6");
    }

    @Test
    void aCycleOfForeignKeysIsRefusedByNameBeforeAnyChange() {
        nodes.both("CREATE TABLE public.cyc_a (id int PRIMARY KEY, b int)",
                "CREATE TABLE public.cyc_b (id int PRIMARY KEY, a int REFERENCES public.cyc_a)",
                "ALTER TABLE public.cyc_a ADD FOREIGN KEY (b) REFERENCES public.cyc_b",
                "CREATE TABLE public.cyc_free (id int PRIMARY KEY)");
        nodes.local.exec("INSERT INTO public.cyc_a VALUES (1, NULL)", "INSERT INTO public.cyc_free VALUES (1)");
        long runs = nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log");

        assertThatThrownBy(() -> nodes.local.exec("SELECT " + nodes.startMerge(
                "ARRAY['public.cyc_free', 'public.cyc_b', 'public.cyc_a']")))
                .hasMessageContaining("foreign keys form a cycle between merged tables: public.cyc_b -> public.cyc_a -> public.cyc_b")
                .hasMessageContaining("Drop one foreign key of the cycle");

        assertThat(nodes.local.queryLong("SELECT count(*) FROM steep_repl.merge_audit_log")).isEqualTo(runs);
        assertThat(nodes.peer.queryLong("SELECT count(*) FROM public.cyc_a")).isZero();
        assertThat(nodes.peer.queryLong("SELECT count(*) FROM public.cyc_free")).isZero();
    }

    @Test
    void aTreeWhoseNewRowsReferenceEachOtherMerges() {
        nodes.both("CREATE TABLE public.tree (id int PRIMARY KEY, parent int REFERENCES public.tree, label text)",
                "INSERT INTO public.tree VALUES (1, NULL, 'root'), (2, 1, 'two')");
        // new branches whose rows sort before their parents; the peer also moves 2 under its new branch
        nodes.local.exec("INSERT INTO public.tree VALUES (30, 1, 'here'), (22, 30, 'here'), (21, 22, 'here')");
        nodes.peer.exec("INSERT INTO public.tree VALUES (13, 1, 'there'), (12, 13, 'there'), (11, 12, 'there')",
                "UPDATE public.tree SET parent = 11 WHERE id = 2");

        assertThat(nodes.merge("ARRAY['public.tree'], 'prefer-remote'")).containsExactly("complete", "");

        assertThat(MergePair.rows(nodes.local, "public.tree")).isEqualTo(MergePair.rows(nodes.peer, "public.tree"));
        assertThat(nodes.local.queryString("SELECT parent FROM public.tree WHERE id = 2")).isEqualTo("11");
        assertThat(nodes.local.queryLong("SELECT count(*) FROM public.tree")).isEqualTo(8);
    }

    @Test
    void aMissingParentOnThePeerFailsTheTableWithNothingOfItMerged() {
        nodes.both("CREATE TABLE public.owner (id int PRIMARY KEY)",
                "CREATE TABLE public.pet (id int PRIMARY KEY, owner int NOT NULL REFERENCES public.owner)",
                "INSERT INTO public.owner VALUES (1)");
        nodes.local.exec("INSERT INTO public.owner VALUES (2)", "INSERT INTO public.pet VALUES (1, 1), (2, 2)");
        nodes.peer.exec("INSERT INTO public.pet VALUES (3, 1)");

        // the parent table is not merged: pet 2's owner exists here only
        failsWithNothingMerged("public.pet", "violates foreign key constraint \"pet_owner_fkey\"");
    }

    @Test
    void aDeferredForeignKeyIsCheckedAtEachStatementOnBothNodes() {
        nodes.both("CREATE TABLE public.downer (id int PRIMARY KEY)",
                "CREATE TABLE public.dpet (id int PRIMARY KEY, owner int NOT NULL "
                        + "REFERENCES public.downer DEFERRABLE INITIALLY DEFERRED)",
                "INSERT INTO public.downer VALUES (1)");
        nodes.local.exec("INSERT INTO public.downer VALUES (2)", "INSERT INTO public.dpet VALUES (1, 1), (2, 2)");
        nodes.peer.exec("INSERT INTO public.dpet VALUES (3, 1)");

        // the peer would find the missing owner only at its COMMIT, after this node committed pet 3
        failsWithNothingMerged("public.dpet", "violates foreign key constraint \"dpet_owner_fkey\"");

        // with its parent table, it merges (here the job's session could not have fired the check at COMMIT)
        assertThat(nodes.merge("ARRAY['public.dpet', 'public.downer']")).containsExactly("complete", "");
        assertThat(MergePair.rows(nodes.local, "public.dpet")).isEqualTo(MergePair.rows(nodes.peer, "public.dpet"))
                .containsExactly("(1,1)", "(2,2)", "(3,1)");
    }

    @Test
    void triggersFireOnBothNodesAsForAnyInsertAndUpdateByTheSubmitter() {
        nodes.both("CREATE TABLE public.counted (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.fired (op text, id int, by name)",
                "CREATE FUNCTION public.count_it() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN INSERT INTO public.fired VALUES (TG_OP, NEW.id, current_user); RETURN NEW; END$$",
                "CREATE TRIGGER count_it AFTER INSERT OR UPDATE ON public.counted FOR EACH ROW EXECUTE FUNCTION public.count_it()",
                "INSERT INTO public.counted VALUES (1, 'a'), (2, 'b')", "TRUNCATE public.fired");
        nodes.local.exec("INSERT INTO public.counted VALUES (3, 'here'), (4, 'here')", "UPDATE public.counted SET v = 'x' WHERE id = 1",
                "TRUNCATE public.fired");
        nodes.peer.exec("INSERT INTO public.counted VALUES (5, 'there')", "UPDATE public.counted SET v = 'y' WHERE id = 2",
                "TRUNCATE public.fired");

        assertThat(nodes.merge("ARRAY['public.counted']")).containsExactly("complete", "");

        String fired = "SELECT op || ' ' || id || ' ' || by FROM public.fired ORDER BY op, id";
        assertThat(nodes.local.query("postgres", fired)).extracting(r -> r.get(0)).containsExactly("INSERT 5 postgres");
        assertThat(nodes.peer.query("postgres", fired)).extracting(r -> r.get(0))
                .containsExactly("INSERT 3 postgres", "INSERT 4 postgres", "UPDATE 1 postgres", "UPDATE 2 postgres");
    }

    @Test
    void aRowATriggerSkipsFailsTheTablesMergeOnEitherNodeWithNothingOfItMerged() {
        nodes.both("CREATE TABLE public.skipping (id int PRIMARY KEY, v text)",
                "CREATE FUNCTION public.skip_odd() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN RETURN CASE WHEN NEW.id % 2 = 1 THEN NULL ELSE NEW END; END$$",
                "INSERT INTO public.skipping VALUES (2, 'both')");
        nodes.local.exec("INSERT INTO public.skipping VALUES (4, 'here'), (6, 'here')");
        nodes.peer.exec("INSERT INTO public.skipping VALUES (7, 'there'), (8, 'there')");

        // here: the peer's row 7 would be skipped, after 4 and 6 went to the peer
        nodes.local.exec("CREATE TRIGGER skip_odd BEFORE INSERT ON public.skipping FOR EACH ROW EXECUTE FUNCTION public.skip_odd()");
        failsWithNothingMerged("public.skipping", "merge of table public.skipping stopped: INSERT changed 1 rows here, not 2");

        // on the peer: an update it skips
        nodes.local.exec("DROP TRIGGER skip_odd ON public.skipping", "INSERT INTO public.skipping VALUES (9, 'here')");
        nodes.peer.exec("INSERT INTO public.skipping VALUES (9, 'there')",
                "CREATE TRIGGER skip_odd BEFORE UPDATE ON public.skipping FOR EACH ROW EXECUTE FUNCTION public.skip_odd()");
        failsWithNothingMerged("public.skipping", "merge of table public.skipping stopped: the peer's UPDATE changed 0 rows, not 1");
    }
}
