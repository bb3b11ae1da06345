package io.steep.repl.cli.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.schema.Compared;
import io.steep.repl.schema.Difference;
import io.steep.repl.schema.SchemaComparison;
import io.steep.repl.schema.TableComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTextTest {

    private static final TableComparison MISMATCH = new TableComparison("public", "orders", "mismatch", true,
            List.of("columns", "indexes"), List.of(
                    new Difference("columns", "name", "type", "character varying(10)", "character varying(20)", true),
                    new Difference("columns", "extra", "only_remote", null, "integer", true),
                    new Difference("indexes", "INDEX USING btree (a)", "only_local", "INDEX USING btree (a)", null, false)));

    @Test
    void groupsByStatusWithDetailsAndASummary() {
        Compared compared = new Compared("node-a", "node-b", new SchemaComparison(List.of(
                new TableComparison("public", "a", "match", false, List.of(), List.of()),
                MISMATCH,
                new TableComparison("public", "gone", "local_only", true, List.of(), List.of()))));

        assertThat(ComparisonText.lines(compared)).containsExactly(
                "local:  node-a",
                "remote: node-b",
                "",
                "mismatch (1 table):",
                "  public.orders  [columns, indexes]  BLOCKING",
                "    column name: type local character varying(10), remote character varying(20)  BLOCKING",
                "    column extra: only remote (integer)  BLOCKING",
                "    indexes: only local: INDEX USING btree (a)",
                "",
                "local_only (1 table):",
                "  public.gone  BLOCKING",
                "",
                "match (1 table):",
                "  public.a",
                "",
                "summary: 3 tables: 1 match, 1 mismatch, 1 local only, 0 remote only; "
                        + "2 with blocking differences: not compatible");
    }

    @Test
    void jsonCarriesTheSameAsData() {
        Compared compared = new Compared("l", "r", new SchemaComparison(List.of(MISMATCH)));
        var json = ComparisonText.json(compared);
        assertThat(json).containsEntry("compatible", false).containsEntry("tables", List.of(MISMATCH));
        assertThat(json.get("summary").toString()).contains("mismatch=1", "blocking=1", "tables=1");
    }

    @Test
    void optionsNameTwoNodesExactlyOneWay() {
        ComparisonOptions options = new ComparisonOptions();
        assertThat(options.problem()).contains("give two node ids (NODE-ID NODE-ID) or --peer CONN");
        options.nodes = List.of("a", "b");
        assertThat(options.problem()).isEmpty();
        options.peer = "host=x";
        assertThat(options.problem()).contains("give either two node ids or --peer, not both");
        options.nodes = List.of();
        options.viaServer = true;
        assertThat(options.problem()).isEmpty();
    }
}
