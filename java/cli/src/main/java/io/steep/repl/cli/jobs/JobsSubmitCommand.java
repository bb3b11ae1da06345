package io.steep.repl.cli.jobs;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.DurationConverter;
import io.steep.repl.cli.output.JsonInput;
import io.steep.repl.cli.output.Output;
import io.steep.repl.job.JobOperations;
import io.steep.repl.job.JobView;
import java.sql.SQLException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl jobs submit}: queues a job for the background worker, optionally waiting for it. */
@Command(name = "submit",
        description = {"Queue a background job for the steep_repl worker (the connected database must have "
                + "the extension and be covered by steep_repl.databases, and steep_repl must be in "
                + "shared_preload_libraries).",
                "With --wait, wait until it ends: exit 0 when it completes, 1 when it fails, 4 when it is "
                        + "cancelled, 5 at the timeout (the job keeps running)."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl jobs submit ping --wait --timeout 30s -c \"host=db1 dbname=mydb\"",
                "  steep-repl jobs submit ping --params '{\"note\": \"smoke test\"}' --max-attempts 3"})
public final class JobsSubmitCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "KIND", description = "Job kind, e.g. ping.")
    String kind;

    @Option(names = "--params", paramLabel = "JSON", description = "Job parameters as a JSON object (default {}).")
    String params;

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Run it up to N times (1 to 100) while it fails (default 1).")
    Integer maxAttempts;

    @Option(names = "--wait", description = "Wait until the job is complete, failed or cancelled.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --wait: give up waiting after this long, e.g. 30s, 5m, 1h (default: no limit).")
    Duration timeout;

    @Override
    protected void validate() {
        if (timeout != null && !await) {
            throw usage("--timeout needs --wait");
        }
        String problem = params == null ? null : JsonInput.objectProblem(params).orElse(null);
        if (problem != null) {
            throw usage("invalid value for option '--params': " + problem);
        }
    }

    /** The job runs under the server's background worker. */
    @Override
    protected boolean needsWorker() {
        return true;
    }

    @Override
    protected int run(Backend backend, Output output) throws SQLException {
        JobView job = backend.call(JobOperations.SUBMIT, new JobOperations.SubmitRequest(kind, params, maxAttempts));
        if (await) {
            output.verbose("submitted job " + job.id() + "; waiting for it to finish");
            job = backend.call(JobOperations.AWAIT,
                    new JobOperations.AwaitRequest(job.id(), timeout == null ? null : timeout.toMillis()));
            if ("failed".equals(job.status())) {
                throw new SteepReplException(ErrorCode.ERROR, "job " + job.id() + " failed: " + job.errorMessage(),
                        "steep-repl jobs show " + job.id() + " shows the whole record.");
            }
            if ("cancelled".equals(job.status())) {
                throw new SteepReplException(ErrorCode.CANCELLED, "job " + job.id() + " was cancelled", null);
            }
        }
        JobView shown = job;
        output.show("job", shown, () -> JobText.lines(shown));
        return ErrorCode.OK.exitCode();
    }
}
