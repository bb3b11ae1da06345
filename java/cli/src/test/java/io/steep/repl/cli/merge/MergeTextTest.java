package io.steep.repl.cli.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.merge.MergeDecision;
import io.steep.repl.merge.MergeRecord;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeTextTest {
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-12-06T03:11:00Z");

    private static MergeRecord run(String status, boolean dryRun, String error) {
        return new MergeRecord("merge_20261206_031100_ab12cd34", 42L, "node \"node-b\" (host=db2 port=5432)",
                List.of("public.users", "public.orders"), "prefer-local", dryRun, null, status, "complete", 2, 2,
                90, 3, 2, 4, 3, 2, 4, 0, "alice", START, START, START.plusSeconds(75), error);
    }

    @Test
    void aCompleteRunSaysWhatWasFoundAndDone() {
        assertThat(MergeText.lines(run("complete", false, null))).containsSubsequence(
                "merge:        merge_20261206_031100_ab12cd34",
                "status:       complete",
                "peer:         node \"node-b\" (host=db2 port=5432)",
                "tables:       public.users, public.orders",
                "strategy:     prefer-local",
                "progress:     2 of 2 tables",
                "found:        90 equal, 3 local only, 2 remote only, 4 conflicts",
                "copied:       3 rows to the peer, 2 rows here",
                "conflicts:    4 resolved, 0 left",
                "duration:     1m 15s");
    }

    @Test
    void aDryRunSaysNothingChanged() {
        List<String> lines = MergeText.lines(run("complete", true, null));

        assertThat(lines).contains("status:       complete (dry run: no data changed)",
                "would copy:   3 rows to the peer, 2 rows here");
        assertThat(MergeText.table(List.of(run("failed", true, "peer went away\nCONTEXT: ...")))).hasSize(2)
                .last().asString().contains("merge_20261206_031100_ab12cd34 (dry run)").contains("failed")
                .endsWith("peer went away");
    }

    @Test
    void conflictsShowBothRows() throws Exception {
        ObjectMapper json = new ObjectMapper();
        MergeDecision d = new MergeDecision("public.users", "'7'", "conflict", "left", "manual",
                json.readTree("{\"id\":7,\"name\":\"a\"}"), json.readTree("{\"id\":7,\"name\":\"b\"}"), false,
                "alice", START);

        assertThat(MergeText.conflicts(List.of(d))).containsExactly(
                "TABLE         KEY  RESOLUTION  STRATEGY  LOCAL ROW            REMOTE ROW",
                "public.users  '7'  left        manual    {\"id\":7,\"name\":\"a\"}  {\"id\":7,\"name\":\"b\"}");
    }
}
