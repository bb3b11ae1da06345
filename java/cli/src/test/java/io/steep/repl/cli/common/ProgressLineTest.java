package io.steep.repl.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.snapshot.SnapshotProgress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static SnapshotProgress running(Double percent, String table, Double bytesPerSec, Duration eta) {
        return new SnapshotProgress("snap_20261121_013000_ab12cd34", "generate", "running", "data", percent,
                3, 12, table, 5000L, 1_048_576L, bytesPerSec, eta, null, null);
    }

    @Test
    void showsPhaseBarPercentTablesCurrentTableRateAndEta() {
        String line = ProgressLine.format(running(45.2, "public.orders", 38_500_000.0, Duration.ofSeconds(80)));

        assertThat(line).isEqualTo("generate data [###########.............]  45.2%  3/12 tables  public.orders"
                + "  38.5 MB/s  ETA 1m 20s");
    }

    @Test
    void leavesOutWhatIsNotKnownYet() {
        SnapshotProgress pending = new SnapshotProgress("snap_20261121_013000_ab12cd34", "apply", "pending", null,
                null, null, null, null, null, null, null, null, null, null);

        assertThat(ProgressLine.format(pending)).isEqualTo("apply pending");
    }

    @Test
    void noEtaOnceFinishedAndLongTableNamesShortened() {
        SnapshotProgress done = new SnapshotProgress("snap_20261121_013000_ab12cd34", "generate", "complete",
                "complete", 100.0, 12, 12, "s".repeat(60), null, null, null, Duration.ZERO, null, null);

        String line = ProgressLine.format(done);

        assertThat(line).doesNotContain("ETA").contains(" 100.0%").contains("s".repeat(37) + "...");
    }

    @Test
    void barIsClampedAndAlwaysTheSameWidth() {
        assertThat(ProgressLine.bar(-5)).isEqualTo("[" + ".".repeat(ProgressLine.BAR_WIDTH) + "]");
        assertThat(ProgressLine.bar(250)).isEqualTo("[" + "#".repeat(ProgressLine.BAR_WIDTH) + "]");
        assertThat(ProgressLine.bar(50)).hasSize(ProgressLine.BAR_WIDTH + 2);
    }
}
