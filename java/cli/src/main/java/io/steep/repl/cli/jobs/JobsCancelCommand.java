package io.steep.repl.cli.jobs;

import io.steep.repl.ErrorCode;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.job.JobOperations;
import io.steep.repl.job.JobView;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steep-repl jobs cancel}: stops a pending job, asks a running one to stop. */
@Command(name = "cancel",
        description = {"Cancel a background job: a pending job is cancelled at once; a running job is asked "
                + "to stop and ends as cancelled shortly after. A finished job is left as it is."},
        footerHeading = "%nExample:%n",
        footer = "  steep-repl jobs cancel 42 -c \"host=db1 dbname=app\"")
public final class JobsCancelCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    long id;

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        JobView job = backend.call(JobOperations.CANCEL, new JobOperations.JobIdRequest(id));
        output.show("job", job, () -> JobText.lines(job));
        return ErrorCode.OK.exitCode();
    }
}
