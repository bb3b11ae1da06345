package io.steep.repl.cli.jobs;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.Output;
import io.steep.repl.cli.output.TextTable;
import io.steep.repl.job.JobOperations;
import io.steep.repl.job.JobView;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steep-repl jobs list}: the newest jobs the current role may see. */
@Command(name = "list",
        description = "List the newest background jobs visible to the current role (its own, or all for "
                + "members of pg_monitor).",
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl jobs list -c \"host=db1 dbname=app\"",
                "  steep-repl jobs list --status failed --limit 5 --json"})
public final class JobsListCommand extends ServerCommand {
    private static final List<String> STATUSES = List.of("pending", "running", "complete", "failed", "cancelled");

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only jobs in this status: pending, running, complete, failed or cancelled.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most this many jobs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected void validate() {
        if (status != null && !STATUSES.contains(status)) {
            throw usage("invalid value for option '--status': '" + status + "' (expected one of "
                    + String.join(", ", STATUSES) + ")");
        }
        requirePositive("--limit", limit);
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        List<JobView> jobs = backend.call(JobOperations.LIST, new JobOperations.ListRequest(status, limit));
        output.showList("jobs", jobs, status == null ? "no jobs" : "no " + status + " jobs", () -> {
            TextTable table = new TextTable("ID", "KIND", "STATUS", "SUBMITTED BY", "ATTEMPTS", "CREATED", "DURATION", "ERROR");
            jobs.forEach(j -> table.row(j.id(), j.kind(), j.status(), j.submittedBy(),
                    j.attempts() + "/" + j.maxAttempts(), HumanFormat.timestamp(j.createdAt()),
                    HumanFormat.duration(j.duration()), firstLine(j.errorMessage())));
            return table.lines();
        });
        return ErrorCode.OK.exitCode();
    }

    private static String firstLine(String text) {
        return text == null ? null : text.lines().findFirst().orElse("");
    }
}
