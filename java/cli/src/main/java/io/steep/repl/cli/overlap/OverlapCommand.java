package io.steep.repl.cli.overlap;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.common.KeyColumnsOption;
import io.steep.repl.cli.common.NodePair;
import io.steep.repl.cli.output.Output;
import io.steep.repl.overlap.OverlapOperations;
import io.steep.repl.overlap.OverlapOptions;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code steep-repl overlap NODE-A NODE-B}: runs steep_repl.analyze_overlap on NODE-A with NODE-B
 * as its peer (docs/overlap.md). The peer and the options are bind parameters; ranges are
 * checked by the SQL functions, the one place that knows them.
 */
@Command(name = "overlap",
        description = {"Count, per table, the rows that are equal on two nodes, that conflict (same key, "
                + "different content), and that exist on one node only. Rows are paired by primary key and "
                + "compared by canonical hashes; only groups of keys that differ are fetched from the peer.",
                "NODE-A runs the analysis: it needs the steep_repl and dblink extensions and reaches NODE-B "
                        + "itself; NODE-B needs neither. Exit 0 when analyzed, 1 on a refusal (e.g. a table "
                        + "without a key), 2 on a usage error, 6 when a node cannot be reached."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl overlap node-a node-b --tables public.users,public.orders -c node-a",
                "  steep-repl overlap node-a node-b --tables public.users --detail --limit 20",
                "  steep-repl overlap node-a shop_b --tables app.events --key-columns app.events=id,at --json"})
public final class OverlapCommand extends ServerCommand {

    @Mixin
    NodePair pair;

    @Mixin
    KeyColumnsOption keyColumns;

    @Option(names = "--rows-per-bucket", paramLabel = "N",
            description = "Rows per top-level group of keys compared at once (10 to 1000000; default: analyze_overlap's).")
    Integer rowsPerBucket;

    @Option(names = "--keep", description = "Keep the result and the keys of unequal rows (steep_repl.overlap_runs).")
    boolean keep;

    @Option(names = "--detail", description = "Keep the analysis and list the keys of unequal rows, "
            + "per table and category.")
    boolean detail;

    @Option(names = "--limit", paramLabel = "N",
            description = "With --detail: at most N keys per table and category (1 to 100000; default 100).")
    Integer limit;

    private OverlapOptions options;

    @Override
    protected void validate() {
        pair.problem().ifPresent(problem -> {
            throw usage(problem);
        });
        if (limit != null && !detail) {
            throw usage("--limit needs --detail");
        }
        options = new OverlapOptions(keyColumns.byTable(this::usage), rowsPerBucket, keep || detail);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        OverlapOperations.AnalyzeResult result = backend.call(OverlapOperations.ANALYZE,
                new OverlapOperations.AnalyzeRequest(pair.nodeA(), pair.nodeB(), pair.tables(), options, detail, limit));
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("local", pair.nodeA());
            document.put("remote", pair.nodeB());
            document.put("tables", result.tables());
            if (detail) {
                document.put("details", result.details());
            }
            output.json(document);
        } else {
            output.lines(OverlapText.lines(pair.nodeA(), pair.nodeB(), result.tables(), result.details()));
        }
        return ErrorCode.OK.exitCode();
    }
}
