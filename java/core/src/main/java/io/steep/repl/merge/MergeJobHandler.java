package io.steep.repl.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.job.Job;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import io.steep.repl.job.ProgressUpdate;
import io.steep.repl.job.RunShape;

/** Job kind {@code merge}: merges tables both ways with a peer (docs/merge.md). */
public final class MergeJobHandler implements JobHandler {
    public static final String KIND = "merge";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ProgressUpdate starting(Job job) {
        return RunShape.MERGE.starting(job);
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        return new MergeRun(context, MergeParams.from(context.params())).run();
    }
}
