package io.steep.repl.merge;

import java.util.List;

/**
 * What {@code steep_repl.start_merge} is called with.
 *
 * @param peer     the peer as the node reaches it, without a password (a registered node id, a
 *                 foreign server name, or a connection string); always a bind parameter
 * @param strategy prefer-local, prefer-remote, last-modified or manual
 * @param dryRun   plan and audit only, change no data
 */
public record MergeRequest(String peer, List<String> tables, String strategy, boolean dryRun, MergeOptions options) {

    public MergeRequest {
        tables = List.copyOf(tables);
    }
}
