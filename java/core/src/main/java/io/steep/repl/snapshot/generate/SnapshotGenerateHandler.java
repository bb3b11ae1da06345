package io.steep.repl.snapshot.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.job.Job;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;
import io.steep.repl.job.RunShape;

/** Job kind {@code snapshot.generate}: writes a snapshot directory (docs/snapshots.md). */
public final class SnapshotGenerateHandler implements JobHandler {
    public static final String KIND = "snapshot.generate";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ProgressUpdate starting(Job job) {
        return RunShape.SNAPSHOT.starting(job);
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        return new SnapshotGenerator(context, GenerateParams.from(context.params())).run();
    }
}
