package io.steep.repl.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.util.ArrayList;
import java.util.List;

/**
 * The params of a {@code merge} job as start_merge writes them (docs/merge.md). SQL checked
 * them when the job was queued and checks the tables, options and privileges again in the job
 * session (steep_repl._merge_plan); this only reads them.
 *
 * @param mergeId  the run's id (the {@code steep_repl.merge_audit_log} row)
 * @param peer     as the submitter named it: a node id, a foreign server, or a connection string
 *                 without a password
 * @param options  the options object as JSON text, passed on to SQL unchanged
 */
record MergeParams(String mergeId, String peer, List<String> tables, String strategy, boolean dryRun,
        String options) {

    static MergeParams from(JsonNode params) {
        JsonNode tables = params.path("tables");
        if (!params.path("merge_id").isTextual() || !params.path("peer").isTextual() || !tables.isArray()
                || !params.path("strategy").isTextual() || !params.path("dry_run").isBoolean()
                || !params.path("options").isObject()) {
            throw new SteepReplException(ErrorCode.USAGE, "invalid merge parameters",
                    "Start a merge with steep_repl.start_merge(peer, tables, strategy, dry_run, options).");
        }
        List<String> names = new ArrayList<>();
        tables.forEach(t -> names.add(t.asText()));
        return new MergeParams(params.get("merge_id").asText(), params.get("peer").asText(), List.copyOf(names),
                params.get("strategy").asText(), params.get("dry_run").booleanValue(),
                params.get("options").toString());
    }
}
