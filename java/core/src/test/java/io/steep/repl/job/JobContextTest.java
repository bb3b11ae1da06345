package io.steep.repl.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class JobContextTest {
    // The context never touches the connection itself; any call on this stand-in would fail.
    private static final Connection UNUSED = (Connection) Proxy.newProxyInstance(
            JobContextTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    private static Job job(long id) {
        return new Job(id, "test.kind", null, "running", "alice", 1, 1, false,
                null, null, null, null, null, 4242, null, null, null);
    }

    @Test
    void checkCancelledThrowsOnceTheFlagIsSet() {
        AtomicBoolean cancelled = new AtomicBoolean();
        JobContext context = new JobContext(job(7), UNUSED, update -> { }, cancelled::get);

        context.checkCancelled();
        assertThat(context.isCancelled()).isFalse();

        cancelled.set(true);
        assertThat(context.isCancelled()).isTrue();
        assertThatThrownBy(context::checkCancelled)
                .isInstanceOf(JobCancelledException.class)
                .hasMessage("job 7 was cancelled");
    }

    @Test
    void forwardsProgressToTheSink() {
        List<ProgressUpdate> seen = new ArrayList<>();
        JobContext context = new JobContext(job(1), UNUSED, seen::add, () -> false);

        context.progress("copy", 50, "public.t");
        context.progress(ProgressUpdate.phase("index").withItems(1, 2));

        assertThat(seen).containsExactly(
                ProgressUpdate.phase("copy").withPercent(50).withCurrentItem("public.t"),
                ProgressUpdate.phase("index").withItems(1, 2));
    }

    @Test
    void missingParamsReadAsAnEmptyObject() {
        JobContext context = new JobContext(job(1), UNUSED, update -> { }, () -> false);

        assertThat(context.params().isObject()).isTrue();
        assertThat(context.params().size()).isZero();
        assertThat(context.jobId()).isEqualTo(1);
    }
}
