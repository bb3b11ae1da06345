package io.steep.repl.cli.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.schema.SchemaOperations;
import io.steep.repl.schema.TableDiff;
import java.sql.SQLException;
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
public final class SchemaDiffCommand extends ServerCommand {

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
    protected int run(Backend backend, Output output) throws SQLException {
        TableDiff diff = backend.call(SchemaOperations.DIFF, options.diffRequest(table));
        if (output.isJson()) {
            output.json(diff);
        } else {
            output.lines(ComparisonText.tableLines(diff));
        }
        return (diff.table().blocking() ? ErrorCode.SCHEMA_MISMATCH : ErrorCode.OK).exitCode();
    }
}
