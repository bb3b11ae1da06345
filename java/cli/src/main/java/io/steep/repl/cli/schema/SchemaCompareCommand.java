package io.steep.repl.cli.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.schema.Compared;
import io.steep.repl.schema.SchemaOperations;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code steep-repl schema compare}: every table of two nodes, and whether they can replicate. */
@Command(name = "compare",
        description = {"Compare the table structures of two nodes. Exit code 0 when they are compatible, "
                + "3 when a difference blocks replication (a table or column on one side only, a type, "
                + "nullability or primary key difference), 6 when a node cannot be reached.",
                "The -c node needs the steep_repl extension; the other nodes need nothing but their catalogs."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl schema compare node-a node-b -c node-a",
                "  steep-repl schema compare --peer \"host=db2 dbname=app user=steep\" -c \"host=db1 dbname=app\"",
                "  steep-repl schema compare --peer node-b --via-server --json -c node-a"})
public final class SchemaCompareCommand extends ServerCommand {

    @Mixin
    ComparisonOptions options;

    @Override
    protected void validate() {
        options.check(this::usage);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        Compared compared = backend.call(SchemaOperations.COMPARE, options.compareRequest());
        if (output.isJson()) {
            output.json(ComparisonText.json(compared));
        } else {
            output.lines(ComparisonText.lines(compared));
        }
        return (compared.comparison().compatible() ? ErrorCode.OK : ErrorCode.SCHEMA_MISMATCH).exitCode();
    }
}
