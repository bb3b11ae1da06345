package io.steep.repl.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgressUpdateTest {

    @Test
    void buildsAnUpdateFieldByField() {
        ProgressUpdate update = ProgressUpdate.phase("copy").withPercent(12.5).withCurrentItem("public.t")
                .withItems(3, 10).withRows(1000).withBytes(4096);

        assertThat(update).isEqualTo(new ProgressUpdate("copy", 12.5, "public.t", 3L, 10L, 1000L, 4096L));
    }

    @Test
    void unknownCountersStayNull() {
        ProgressUpdate update = ProgressUpdate.phase("scan");

        assertThat(update.percent()).isNull();
        assertThat(update.itemsDone()).isNull();
        assertThat(update.rowsDone()).isNull();
    }

    @Test
    void percentIsClampedAndNanMeansUnknown() {
        assertThat(ProgressUpdate.phase("p").withPercent(100.0000001).percent()).isEqualTo(100.0);
        assertThat(ProgressUpdate.phase("p").withPercent(-3).percent()).isEqualTo(0.0);
        assertThat(ProgressUpdate.phase("p").withPercent(Double.NaN).percent()).isNull();
    }

    @Test
    void aPhaseIsRequired() {
        assertThatThrownBy(() -> ProgressUpdate.phase(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProgressUpdate.phase(null)).isInstanceOf(NullPointerException.class);
    }
}
