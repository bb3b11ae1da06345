package io.steep.repl.health;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.api.Operation;
import java.util.List;

/** The health report ({@code steep-repl health}; gRPC HealthService). */
public final class HealthOperations {

    /** No parameters: the report covers the whole extension. */
    public record CheckRequest() {
    }

    public static final Operation<CheckRequest, List<HealthRow>> CHECK = Operation.of("HealthService/Check",
            CheckRequest.class, new TypeReference<>() { },
            (session, q) -> new Health(session.connection()).check());

    private HealthOperations() {
    }
}
