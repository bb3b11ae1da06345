package io.steep.repl.cli.jobs;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.job.JobDetails;
import io.steep.repl.job.JobOperations;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl jobs show}: one job with its live progress. */
@Command(name = "show",
        description = "Show one background job and, while it runs, its live progress.",
        footerHeading = "%nExample:%n",
        footer = "  steep-repl jobs show 42 -c \"host=db1 dbname=app\"")
public final class JobsShowCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    long id;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        JobDetails details = backend.call(JobOperations.SHOW, new JobOperations.JobIdRequest(id));
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("job", details.job());
            document.put("progress", details.progress());
            output.json(document);
        } else {
            List<String> lines = new ArrayList<>(JobText.lines(details.job()));
            if (details.progress() != null) {
                lines.add("");
                lines.add("progress:");
                JobText.lines(details.progress()).forEach(line -> lines.add("  " + line));
            }
            output.lines(lines);
        }
        return ErrorCode.OK.exitCode();
    }
}
