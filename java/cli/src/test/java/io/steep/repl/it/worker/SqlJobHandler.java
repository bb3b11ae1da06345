package io.steep.repl.it.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.JobHandler;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Test-only kind {@code test.sql}: runs the statement in {@code sql} on the job's connection,
 * i.e. as the submitting role, and returns the first column of the first row as
 * {@code "value"}. It never looks at the cancel flag, so only a statement cancel stops it.
 */
public class SqlJobHandler implements JobHandler {

    @Override
    public String kind() {
        return "test.sql";
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        try (Statement statement = context.connection().createStatement()) {
            if (statement.execute(context.params().path("sql").asText())) {
                try (ResultSet rs = statement.getResultSet()) {
                    result.put("value", rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return result;
    }
}
