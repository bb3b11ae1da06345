package io.steep.repl.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaCompareTest {

    @Test
    void differencesKeepStringsAndRenderOtherValuesAsJson() throws SQLException {
        List<Difference> differences = SchemaCompare.differences("""
                [{"component": "columns", "object": "name", "difference": "not_null",
                  "local": false, "remote": true, "blocking": true},
                 {"component": "indexes", "object": "INDEX USING btree (a)", "difference": "only_remote",
                  "local": null, "remote": "INDEX USING btree (a)", "blocking": false}]""");

        assertThat(differences).containsExactly(
                new Difference("columns", "name", "not_null", "false", "true", true),
                new Difference("indexes", "INDEX USING btree (a)", "only_remote", null, "INDEX USING btree (a)", false));
    }

    @Test
    void invalidJsonIsAnSqlException() {
        assertThatThrownBy(() -> SchemaCompare.differences("[{")).isInstanceOf(SQLException.class)
                .hasMessageContaining("invalid differences");
    }

    @Test
    void comparisonCountsEveryStatusAndIsCompatibleWithoutBlockingTables() {
        SchemaComparison comparison = new SchemaComparison(List.of(
                new TableComparison("public", "a", "match", false, List.of(), List.of()),
                new TableComparison("public", "b", "mismatch", false, List.of("indexes"), List.of())));

        assertThat(comparison.counts()).containsExactly(
                entry("mismatch", 1L),
                entry("local_only", 0L),
                entry("remote_only", 0L),
                entry("match", 1L));
        assertThat(comparison.compatible()).isTrue();

        SchemaComparison blocked = new SchemaComparison(List.of(
                new TableComparison("public", "c", "local_only", true, List.of(), List.of())));
        assertThat(blocked.compatible()).isFalse();
        assertThat(blocked.blockingTables()).isEqualTo(1);
    }

    @Test
    void scopeNarrowsToOneSchemaKeepingTheOptions() {
        SchemaScope scope = new SchemaScope(List.of("a", "b"), true, false).onlySchema("c");
        assertThat(scope).isEqualTo(new SchemaScope(List.of("c"), true, false));
        assertThat(SchemaScope.all().schemas()).isEmpty();
    }
}
