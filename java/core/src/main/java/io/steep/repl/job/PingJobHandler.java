package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Kind {@code ping}: completes at once. It proves the whole path (queue, claim, SET ROLE,
 * result) works and tells which worker process, Java and server ran it.
 */
public final class PingJobHandler implements JobHandler {

    @Override
    public String kind() {
        return "ping";
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("worker_pid", ProcessHandle.current().pid());
        result.put("java_version", Runtime.version().toString());
        result.put("server_version", serverVersion(context));
        return result;
    }

    private static String serverVersion(JobContext context) throws Exception {
        try (Statement statement = context.connection().createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_catalog.current_setting('server_version')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
