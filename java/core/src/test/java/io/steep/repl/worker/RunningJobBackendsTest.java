package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.job.Job;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The further connections of a job take part in cancelling its statements while they are open. */
class RunningJobBackendsTest {

    private static Connection connection(AtomicBoolean closed) {
        return (Connection) Proxy.newProxyInstance(getLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isClosed")) {
                        return closed.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ClassLoader getLoader() {
        return RunningJobBackendsTest.class.getClassLoader();
    }

    @Test
    void extraBackendsAreCancelledUntilTheirConnectionCloses() {
        RunningJob job = new RunningJob(new Job(1, "k", null, "running", "alice", 1, 1, false,
                null, null, null, null, null, 1, null, null, null));
        AtomicBoolean closed = new AtomicBoolean();
        job.attachBackend(10);
        job.attachExtraBackend(11, connection(closed));
        job.attachExtraBackend(12, connection(new AtomicBoolean()));

        assertThat(job.backendPids()).containsExactly(10, 11, 12);
        closed.set(true);
        job.detachExtraBackend(12);
        assertThat(job.backendPids()).containsExactly(10);
    }

    @Test
    void aJobWithOnlyExtraBackendsStillGetsItsStatementsCancelled() {
        RunningJob job = new RunningJob(new Job(1, "k", null, "running", "alice", 1, 1, false,
                null, null, null, null, null, 1, null, null, null));
        job.attachExtraBackend(11, connection(new AtomicBoolean()));
        job.requestCancel(RunningJob.CancelReason.REQUESTED, 0);

        assertThat(job.backendCancelDue(RunningJob.BACKEND_CANCEL_AFTER.toNanos())).isTrue();
    }
}
