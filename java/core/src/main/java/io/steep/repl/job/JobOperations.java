package io.steep.repl.job;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import java.time.Duration;
import java.util.List;

/** Background jobs as a user sees them ({@code steep-repl jobs ...}; gRPC JobService). */
public final class JobOperations {

    /** @param status only jobs in this status; null for every status */
    public record ListRequest(String status, int limit) {
    }

    /** One visible job. */
    public record JobIdRequest(long id) {
    }

    /**
     * @param params      a JSON object's text, or null for {}
     * @param maxAttempts null for the server's default (1)
     */
    public record SubmitRequest(String kind, String params, Integer maxAttempts) {
    }

    /** @param timeoutMillis give up waiting after this long (the job goes on); null for no limit */
    public record AwaitRequest(long id, Long timeoutMillis) {
    }

    public static final Operation<ListRequest, List<JobView>> LIST = Operation.of("JobService/List",
            ListRequest.class, new TypeReference<>() { },
            (session, q) -> new Jobs(session.connection()).list(q.status(), q.limit()));

    public static final Operation<JobIdRequest, JobDetails> SHOW = Operation.of("JobService/Show",
            JobIdRequest.class, new TypeReference<>() { },
            (session, q) -> new Jobs(session.connection()).show(q.id()));

    public static final Operation<JobIdRequest, JobView> CANCEL = Operation.of("JobService/Cancel",
            JobIdRequest.class, new TypeReference<>() { },
            (session, q) -> new Jobs(session.connection()).cancel(q.id(), session.notices()));

    public static final Operation<SubmitRequest, JobView> SUBMIT = Operation.of("JobService/Submit",
            SubmitRequest.class, new TypeReference<>() { },
            (session, q) -> new Jobs(session.connection()).submit(q.kind(), q.params(), q.maxAttempts()));

    public static final Operation<AwaitRequest, JobView> AWAIT = Operation.of("JobService/Await",
            AwaitRequest.class, new TypeReference<>() { },
            (session, q) -> new Jobs(session.connection()).await(q.id(),
                    q.timeoutMillis() == null ? null : Duration.ofMillis(q.timeoutMillis())));

    private JobOperations() {
    }
}
