package io.steep.repl.cli;

import io.steep.repl.ErrorCode;
import io.steep.repl.cli.output.Output;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.api.Backend;
import io.steep.repl.health.HealthOperations;
import io.steep.repl.health.HealthRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code steep-repl health}: the extension's health report. */
@Command(name = "health",
        description = "Show the health of steep_repl in the connected database: extension, shared memory, "
                + "supervisor, Java worker, each served database, job queue, last error and nodes.",
        footerHeading = "%nExample:%n",
        footer = {"  steep-repl health -c \"host=/var/run/postgresql dbname=app\"",
                "",
                "Exits with 1 when a component reports status 'error' (after printing the report)."})
public final class HealthCommand extends ServerCommand {

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<HealthRow> rows = backend.call(HealthOperations.CHECK, new HealthOperations.CheckRequest());
        if (output.isJson()) {
            output.json(Map.of("health", rows));
        } else {
            TextTable table = new TextTable("COMPONENT", "STATUS", "DETAIL");
            rows.forEach(r -> table.row(r.component(), r.status(), r.detail()));
            output.lines(table.lines());
        }
        return (rows.stream().anyMatch(HealthRow::isError) ? ErrorCode.ERROR : ErrorCode.OK).exitCode();
    }
}
