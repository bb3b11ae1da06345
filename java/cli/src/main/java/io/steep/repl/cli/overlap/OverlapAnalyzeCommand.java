package io.steep.repl.cli.overlap;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.overlap.OverlapAnalysis;
import io.steep.repl.overlap.OverlapOptions;
import io.steep.repl.overlap.OverlapRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code steep-repl overlap analyze}: runs steep_repl.analyze_overlap on the -c node, which
 * reaches the peer through dblink (docs/overlap.md). The peer and the options are bind
 * parameters; the ranges are checked by the SQL function, the one place that knows them.
 */
@Command(name = "analyze",
        description = {"Count, per table, the rows that are equal on both nodes, that conflict (same key, "
                + "different content), and that exist on one node only. Rows are paired by primary key and "
                + "compared by canonical hashes; only groups of keys that differ are fetched from the peer.",
                "The -c node needs the steep_repl and dblink extensions; the peer needs neither."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl overlap analyze --peer node-b public.users public.orders -c node-a",
                "  steep-repl overlap analyze --peer shop_b --key-columns public.events=id,at public.events --keep --json"})
public final class OverlapAnalyzeCommand extends DirectCommand {

    @Option(names = "--peer", required = true, paramLabel = "PEER",
            description = "The other node, as the -c node reaches it: a connection string, a registered node id, "
                    + "or a foreign server with a user mapping (keeps the password out of the server log).")
    String peer;

    @Parameters(arity = "1..*", paramLabel = "TABLE", description = "Tables to analyze, as schema.table.")
    List<String> tables;

    @Option(names = "--key-columns", paramLabel = "TABLE=COL[,COL...]",
            description = "Pair the rows of TABLE by these columns instead of its primary key (repeatable).")
    List<String> keyColumns = new ArrayList<>();

    @Option(names = "--rows-per-bucket", paramLabel = "N",
            description = "Rows per group of keys compared at once (10 to 1000000; default 1000).")
    Integer rowsPerBucket;

    @Option(names = "--keep", description = "Keep the result and the keys of unequal rows (steep_repl.overlap_details).")
    boolean keep;

    private OverlapOptions options;

    @Override
    protected void validate() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String entry : keyColumns) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw usage("--key-columns takes TABLE=COL[,COL...], not '" + entry + "'");
            }
            List<String> columns = new ArrayList<>();
            for (String column : entry.substring(eq + 1).split(",", -1)) {
                if (column.isBlank()) {
                    throw usage("--key-columns '" + entry + "' names an empty column");
                }
                columns.add(column.strip());
            }
            keys.put(entry.substring(0, eq), columns);
        }
        options = new OverlapOptions(keys, rowsPerBucket, keep);
    }

    @Override
    protected int run(Connection connection, Output output) throws SQLException {
        List<OverlapRow> rows = OverlapAnalysis.analyze(connection, peer, tables, options);
        output.showList("tables", rows, "no tables", () -> lines(rows));
        return ErrorCode.OK.exitCode();
    }

    private static List<String> lines(List<OverlapRow> rows) {
        TextTable table = new TextTable("TABLE", "LOCAL", "REMOTE", "EQUAL", "CONFLICTS", "LOCAL ONLY", "REMOTE ONLY",
                "FETCHED", "TIME", "KEPT AS");
        rows.forEach(r -> table.row(r.tableName(), r.localRows(), r.remoteRows(), r.matches(), r.conflicts(),
                r.localOnly(), r.remoteOnly(), r.rowsFetched() + " rows, " + r.bytesFetched() + " B",
                String.format(Locale.ROOT, "%.2f s", r.seconds()), r.runId() == null ? "" : r.runId()));
        return table.lines();
    }
}
