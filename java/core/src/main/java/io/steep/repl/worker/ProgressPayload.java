package io.steep.repl.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.job.ProgressUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The JSON sent on {@code steep_repl_progress} (docs/sql-api.md, Notifications). Every role
 * may LISTEN there, so a message carries no more than any role can read anyway: the job's id,
 * kind, phase and counters, and names of tables (the catalogs show those to everybody); never
 * a job's error text, which only its submitter may read in steep_repl.jobs. PostgreSQL refuses
 * payloads of 8000 bytes or more, and a refused NOTIFY would lose the message, so the free-text
 * item is shortened until the whole payload fits {@link #MAX_BYTES}.
 */
final class ProgressPayload {
    static final int MAX_BYTES = 4000;
    static final int MAX_ITEM_CHARS = 500;
    static final int MAX_PHASE_CHARS = 64;
    static final int MAX_DETAIL_CHARS = 300;
    /** Fields of the documented shape, which details must not replace even when this message lacks them. */
    private static final Set<String> RESERVED = Set.of("op", "job_id", "kind", "phase", "percent", "items_done",
            "items_total", "rows_done", "bytes_done", "item", "error", "will_retry");
    // "error" stays reserved: a handler's detail must not pass for the job's error either.

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProgressPayload() {
    }

    /**
     * A progress message: op (the update's, else "job"), job_id, kind, phase, percent, item, the
     * counters that are known, and the update's details.
     */
    static String progress(long jobId, String kind, ProgressUpdate update) {
        return fit(jobId, kind, update, update.phase(), update.currentItem(), false);
    }

    /**
     * The last message for a job: phase is the outcome (complete, failed, cancelled), and
     * {@code "will_retry": true} when the queue put a failed job back to pending. Counters are
     * those last reported, so a reader sees where it stopped; the error is in the job's row.
     */
    static String last(long jobId, String kind, ProgressUpdate lastUpdate, JobOutcome outcome, boolean retrying) {
        ProgressUpdate update = lastUpdate;
        if (outcome.status() == JobOutcome.Status.COMPLETE) {
            update = (update == null ? ProgressUpdate.phase("complete") : update).withPercent(100.0);
        }
        return fit(jobId, kind, update, outcome.status().sqlName(), null, retrying);
    }

    private static String fit(long jobId, String kind, ProgressUpdate update, String phase, String item,
            boolean retrying) {
        String shortItem = ErrorMessages.truncate(item, MAX_ITEM_CHARS);
        String shortPhase = ErrorMessages.truncate(phase, MAX_PHASE_CHARS);
        while (true) {
            String json = render(jobId, kind, update, shortPhase, shortItem, retrying);
            // kind and phase are short by construction, so shortening the item always ends here.
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || length(shortItem) == 0) {
                return json;
            }
            // JSON escapes can make a character cost up to 12 bytes; halve the item and retry.
            shortItem = shortItem.length() < 8 ? null : ErrorMessages.truncate(shortItem, shortItem.length() / 2);
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String render(long jobId, String kind, ProgressUpdate update, String phase, String item,
            boolean retrying) {
        ObjectNode node = JSON.createObjectNode();
        node.put("op", update != null && update.op() != null ? update.op() : "job");
        node.put("job_id", jobId);
        node.put("kind", kind);
        node.put("phase", phase);
        if (update != null) {
            putIfKnown(node, "percent", update.percent());
            putIfKnown(node, "items_done", update.itemsDone());
            putIfKnown(node, "items_total", update.itemsTotal());
            putIfKnown(node, "rows_done", update.rowsDone());
            putIfKnown(node, "bytes_done", update.bytesDone());
        }
        if (item != null) {
            node.put("item", item);
        }
        if (retrying) {
            node.put("will_retry", true);
        }
        if (update != null) {
            update.details().forEach((name, value) -> putDetail(node, name, value));
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a progress message", e);
        }
    }

    /** A handler's extra field; it never replaces a field of the documented shape. */
    private static void putDetail(ObjectNode node, String name, Object value) {
        if (RESERVED.contains(name) || node.has(name)) {
            return;
        }
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof Boolean b) {
            node.put(name, b);
        } else if (value instanceof Number n) {
            putIfKnown(node, name, n);
        } else {
            node.put(name, ErrorMessages.truncate(value.toString(), MAX_DETAIL_CHARS));
        }
    }

    private static void putIfKnown(ObjectNode node, String name, Number value) {
        if (value instanceof Double d) {
            node.put(name, d);
        } else if (value != null) {
            node.put(name, value.longValue());
        }
    }
}
