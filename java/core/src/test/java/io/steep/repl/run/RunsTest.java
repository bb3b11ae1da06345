package io.steep.repl.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunsTest {
    private record Run(String runId, Long jobId, String status, String errorMessage) implements RunRecord {
    }

    private static final Run MERGE = new Run("merge_20261206_031100_ab12cd34", 7L, "running", null);

    @Test
    void aNotificationIsAboutARunByItsKindsIdOrByItsJob() {
        assertThat(Runs.isAbout("{\"op\":\"merge\",\"merge_id\":\"merge_20261206_031100_ab12cd34\"}", "merge_id", MERGE))
                .isTrue();
        assertThat(Runs.isAbout("{\"op\":\"merge\",\"job_id\":7}", "merge_id", MERGE)).isTrue();
        assertThat(Runs.isAbout("{\"op\":\"snapshot\",\"snapshot_id\":\"merge_20261206_031100_ab12cd34\"}",
                "merge_id", MERGE)).isFalse();
        assertThat(Runs.isAbout("{\"job_id\":8,\"merge_id\":\"other\"}", "merge_id", MERGE)).isFalse();
        assertThat(Runs.isAbout("not json", "merge_id", MERGE)).isFalse();
        assertThat(Runs.isAbout("[7]", "merge_id", MERGE)).isFalse();
    }

    @Test
    void onlyCompleteFailedAndCancelledAreFinished() {
        assertThat(new Run("a", null, "pending", null).isFinished()).isFalse();
        assertThat(new Run("a", 1L, "running", null).isFinished()).isFalse();
        assertThat(new Run("a", 1L, "complete", null).isFinished()).isTrue();
        assertThat(new Run("a", 1L, "failed", "boom").isFinished()).isTrue();
        assertThat(new Run("a", 1L, "cancelled", null).isFinished()).isTrue();
    }
}
