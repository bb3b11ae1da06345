package io.steep.repl.cli.merge;

import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.KeyColumnsOption;
import io.steep.repl.cli.common.LongRun;
import io.steep.repl.cli.common.NodePair;
import io.steep.repl.cli.common.TableAssignments;
import io.steep.repl.cli.output.Output;
import io.steep.repl.merge.MergeOperations;
import io.steep.repl.merge.MergeOptions;
import io.steep.repl.merge.MergeProgress;
import io.steep.repl.merge.MergeRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code steep-repl merge NODE-A NODE-B}: starts steep_repl.start_merge on NODE-A with NODE-B as
 * its peer and follows the run like a snapshot's (docs/merge.md). The strategies, columns and
 * timeout go to the SQL function as given, which checks them.
 */
@Command(name = "merge",
        description = {"Merge tables both ways between two nodes, as a background job on NODE-A: rows on one "
                + "node only are copied to the other, conflicts (same key, different content) follow the "
                + "strategy, and every decision is audited (steep_repl.merge_decisions). Shows the progress "
                + "until the run ends, then a summary.",
                "Exit 0 when complete, 1 when failed, 2 on a usage error, 4 when cancelled, 6 when a node "
                        + "cannot be reached. Ctrl-C stops watching, not the merge."},
        synopsisSubcommandLabel = "[COMMAND]",
        subcommands = {MergeStatusCommand.class, MergeConflictsCommand.class, MergeCancelCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl merge node-a node-b --tables public.users --strategy prefer-local --dry-run",
                "  steep-repl merge node-a node-b --tables public.users,public.orders --strategy last-modified",
                "      --last-modified-column public.users=updated_at --strategy-for public.orders=manual",
                "  steep-repl merge status merge_20261206_031100_ab12cd34",
                "  steep-repl merge conflicts merge_20261206_031100_ab12cd34 --limit 20"})
public final class MergeCommand extends ServerCommand {

    @Mixin
    NodePair pair;

    @Option(names = "--strategy", paramLabel = "STRATEGY",
            description = "How conflicts resolve: prefer-local (NODE-A's row wins), prefer-remote, last-modified "
                    + "(the later timestamp wins; see --last-modified-column) or manual (conflicts stay, listed).")
    String strategy;

    @Option(names = "--strategy-for", paramLabel = "TABLE=STRATEGY",
            description = "Another strategy for this table (repeatable).")
    List<String> strategyFor = new ArrayList<>();

    @Option(names = "--last-modified-column", paramLabel = "TABLE=COLUMN",
            description = "The timestamp column last-modified compares in this table (repeatable; without it, "
                    + "commit timestamps when track_commit_timestamp is on for both nodes).")
    List<String> lastModifiedColumn = new ArrayList<>();

    @Mixin
    KeyColumnsOption keyColumns;

    @Option(names = "--lock-timeout", paramLabel = "DURATION",
            description = "How long to wait for each table's locks on both nodes, e.g. 5s (default: the server's).")
    String lockTimeout;

    @Option(names = "--dry-run", description = "Plan and audit the decisions; change no data.")
    boolean dryRun;

    @Option(names = "--no-wait", description = "Print the merge's id and return at once; the merge goes on.")
    boolean noWait;

    private MergeOptions options;

    @Override
    protected void validate() {
        pair.problem().ifPresent(problem -> {
            throw usage(problem);
        });
        if (strategy == null) {
            throw usage("give the strategy: --strategy prefer-local|prefer-remote|last-modified|manual");
        }
        options = options();
    }

    /** The options object, as parsed from the command line; a malformed value is a usage error. */
    MergeOptions options() {
        return new MergeOptions(
                TableAssignments.parse("--strategy-for", strategyFor, "STRATEGY", this::usage),
                TableAssignments.parse("--last-modified-column", lastModifiedColumn, "COLUMN", this::usage),
                keyColumns.byTable(this::usage), lockTimeout);
    }

    @Override
    protected boolean needsWorker() {
        return true;
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        return new LongRun<MergeRecord, MergeProgress>(MergeRunText.INSTANCE, output).start(backend,
                MergeOperations.START, new MergeOperations.StartRequest(pair.nodeA(), pair.nodeB(), pair.tables(),
                        strategy, dryRun, options, noWait));
    }
}
