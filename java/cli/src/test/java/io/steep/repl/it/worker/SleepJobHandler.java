package io.steep.repl.it.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;

/**
 * Test-only kind {@code test.sleep}: sleeps through {@code steps} steps of {@code step_ms},
 * reporting progress after each, and honours cancel requests within 20 ms. With {@code fail_at}
 * it throws {@code message} at that step, during the first {@code fail_attempts} attempts
 * (all attempts when absent).
 */
public class SleepJobHandler implements JobHandler {
    private static final long CANCEL_CHECK_MS = 20;

    @Override
    public String kind() {
        return "test.sleep";
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        JsonNode params = context.params();
        int steps = params.path("steps").asInt(10);
        long stepMillis = params.path("step_ms").asLong(100);
        int failAt = params.path("fail_at").asInt(0);
        int failAttempts = params.path("fail_attempts").asInt(Integer.MAX_VALUE);
        String phase = params.path("phase").asText("running");
        for (int step = 1; step <= steps; step++) {
            sleep(context, stepMillis);
            if (step == failAt && context.job().attempts() <= failAttempts) {
                throw new IllegalStateException(params.path("message").asText("test failure at step " + step));
            }
            context.progress(ProgressUpdate.phase(phase).withPercent(step * 100.0 / steps)
                    .withCurrentItem("step " + step + "/" + steps).withItems(step, steps));
        }
        return JsonNodeFactory.instance.objectNode().put("steps", steps);
    }

    private static void sleep(JobContext context, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            context.checkCancelled();
            Thread.sleep(Math.max(1, Math.min(CANCEL_CHECK_MS, (deadline - System.nanoTime()) / 1_000_000)));
        }
        context.checkCancelled();
    }
}
