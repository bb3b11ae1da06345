package io.steep.repl.snapshot.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.steep.repl.job.ProgressUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyProgressTest {

    @Test
    void thePercentageCoversTheWholeRunAndNeverGoesBack() {
        List<ProgressUpdate> seen = new ArrayList<>();
        ApplyProgress progress = new ApplyProgress(seen::add);

        progress.phase("verify", null);
        progress.percent(100, null);
        assertThat(progress.overall()).isCloseTo(10, within(1e-9));
        progress.phase("schema", null);
        progress.startData(2, 1000, 0, 0, 0);
        progress.bytesRead(500);
        assertThat(progress.overall()).isCloseTo(48.5, within(1e-9));
        progress.bytesRead(500);
        progress.phase("post-data", null);
        progress.phase("sequences", null);
        progress.phase("check", null);
        progress.percent(100, null);
        assertThat(progress.overall()).isCloseTo(100, within(1e-9));

        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).percent()).as("update %d", i).isGreaterThanOrEqualTo(seen.get(i - 1).percent());
        }
    }
}
