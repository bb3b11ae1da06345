package io.steep.repl.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How a job run ended, in the terms of {@code steep_repl._finish_job}.
 *
 * @param error  the message stored in error_message (failed only)
 * @param result the handler's result (complete only), or null
 */
record JobOutcome(Status status, String error, JsonNode result) {

    enum Status {
        COMPLETE, FAILED, CANCELLED;

        /** The value of {@code p_outcome} and of the final notification's phase. */
        String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static JobOutcome complete(JsonNode result) {
        return new JobOutcome(Status.COMPLETE, null, result);
    }

    static JobOutcome failed(String error) {
        return new JobOutcome(Status.FAILED, error, null);
    }

    static JobOutcome cancelled() {
        return new JobOutcome(Status.CANCELLED, null, null);
    }
}
