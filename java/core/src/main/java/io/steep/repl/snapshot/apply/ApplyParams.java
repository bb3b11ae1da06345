package io.steep.repl.snapshot.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;

/**
 * The params of a {@code snapshot.apply} job (docs/snapshots.md, "Job parameters and result").
 *
 * @param runId    the apply run's own id (the {@code steep_repl.snapshots} row), not the manifest's
 * @param path     the snapshot directory as given (absolute)
 * @param parallel connections loading at once
 * @param verify   check every file against the manifest before changing anything
 * @param replace  empty the snapshot's tables when they hold rows, instead of refusing
 */
record ApplyParams(String runId, String path, int parallel, boolean verify, boolean replace) {
    static final int MAX_PARALLEL = 64;

    static ApplyParams from(JsonNode params) {
        String runId = text(params, "snapshot_id");
        String path = text(params, "path");
        if (path == null || !path.startsWith("/")) {
            throw invalid("path must be an absolute directory path, not " + params.get("path"));
        }
        JsonNode parallelNode = params.get("parallel");
        int parallel = parallelNode == null || parallelNode.isNull() ? 4 : parallelNode.asInt(-1);
        if (parallelNode != null && !parallelNode.isNull() && !parallelNode.canConvertToInt()
                || parallel < 1 || parallel > MAX_PARALLEL) {
            throw invalid("parallel must be between 1 and " + MAX_PARALLEL + ", not " + parallelNode);
        }
        boolean verify = bool(params, "verify", true);
        JsonNode options = params.path("options");
        boolean replace = bool(options, "replace", false);
        return new ApplyParams(runId, path, parallel, verify, replace);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(field + " must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    private static SteepReplException invalid(String problem) {
        return new SteepReplException(ErrorCode.USAGE, "invalid snapshot.apply parameters: " + problem,
                "Start an apply with steep_repl.start_apply(input_path, parallel, verify, options).");
    }
}
