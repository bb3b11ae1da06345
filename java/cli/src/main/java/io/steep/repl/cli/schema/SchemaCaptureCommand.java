package io.steep.repl.cli.schema;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.Output;
import io.steep.repl.schema.SchemaCompare;
import io.steep.repl.schema.SchemaOperations;
import io.steep.repl.schema.SchemaScope;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steep-repl schema capture}: stores the node's fingerprints in steep_repl.schema_fingerprints. */
@Command(name = "capture",
        description = "Store the fingerprints of the connected node's tables in steep_repl.schema_fingerprints "
                + "(needs INSERT and DELETE on it), replacing the previous capture of the same schemas.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl schema capture --schema public -c \"host=db1 dbname=app\"")
public final class SchemaCaptureCommand extends ServerCommand {

    @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only this schema (repeatable; default: all).")
    List<String> schemas;

    @Option(names = "--column-order", description = "Let the order of columns count.")
    boolean columnOrder;

    @Option(names = "--names", description = "Let index, constraint and sequence names count.")
    boolean names;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        SchemaCompare.Capture capture = backend.call(SchemaOperations.CAPTURE,
                new SchemaOperations.CaptureRequest(new SchemaScope(schemas, columnOrder, names)));
        output.show("capture", capture, () -> List.of("captured the fingerprints of " + capture.tables()
                + " tables at " + HumanFormat.timestamp(capture.capturedAt())));
        return ErrorCode.OK.exitCode();
    }
}
