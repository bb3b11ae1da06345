package io.steep.repl.cli.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.DirectCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.schema.TableComparison;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steep-repl schema diff}: what differs in one table, column by column. */
@Command(name = "diff",
        description = "Show what differs in one table between two nodes, column by column. Exit code 0 when "
                + "nothing blocks replication, 3 when something does.",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl schema diff --table public.orders node-a node-b -c node-a",
                "  steep-repl schema diff --table 'public.\"Orders\"' --peer \"host=db2 dbname=app\""})
public final class SchemaDiffCommand extends DirectCommand {

    @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE",
            description = "The table, schema-qualified and quoted as in SQL: public.\"Orders\".")
    String table;

    @Mixin
    ComparisonOptions options;

    @Override
    protected void validate() {
        options.check(this::usage);
    }

    @Override
    protected int run(Connection connection, Output output) throws SQLException {
        String[] name = parse(connection, table);
        Compared compared = Comparer.of(spec, connection, output).compare(options, options.scope().onlySchema(name[0]));
        TableComparison found = compared.comparison().tables().stream()
                .filter(t -> t.matches(name[0], name[1])).findFirst()
                .orElseThrow(() -> new SteepReplException(ErrorCode.ERROR,
                        "table " + table + " exists on neither side",
                        "Check the name; mixed-case names need double quotes: public.\"Orders\"."));
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("local", compared.local());
            document.put("remote", compared.remote());
            document.put("table", found);
            output.json(document);
        } else {
            output.lines(ComparisonText.tableLines(compared, found));
        }
        return (found.blocking() ? ErrorCode.SCHEMA_MISMATCH : ErrorCode.OK).exitCode();
    }

    /** Schema and table, with PostgreSQL's own rules for quoting and case. */
    private static String[] parse(Connection connection, String text) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.parse_ident(?)")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] parts = (String[]) rs.getArray(1).getArray();
                if (parts.length != 2) {
                    throw new SteepReplException(ErrorCode.USAGE, "table name \"" + text + "\" is not schema-qualified",
                            "Write schema.table, with double quotes around names that need them: public.\"Orders\".");
                }
                return parts;
            }
        }
    }
}
