package io.steep.repl.cli.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.output.HumanFormat;
import io.steep.repl.cli.output.KeyValues;
import io.steep.repl.cli.output.Output;
import io.steep.repl.daemon.config.DaemonDefaults;
import io.steep.repl.daemon.status.StatusClient;
import io.steep.repl.jdbc.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the status document and shows it; apart from the command so that --help loads none of it. */
final class DaemonStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DaemonStatus() {
    }

    static int show(Environment environment, Output output, Path socket) {
        Path path = socket != null ? socket : DaemonDefaults.socket(environment);
        String text = StatusClient.read(path);
        Map<String, Object> status;
        try {
            status = JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new SteepReplException(ErrorCode.ERROR, "the daemon on " + path + " answered something else than "
                    + "a status document", "Is another program listening on that socket?");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> postgres = (Map<String, Object>) status.getOrDefault("postgres", Map.of());
        output.show("daemon", status, () -> lines(status, postgres));
        return ("ready".equals(postgres.get("status")) ? ErrorCode.OK : ErrorCode.ERROR).exitCode();
    }

    private static List<String> lines(Map<String, Object> status, Map<String, Object> postgres) {
        List<String> security = new ArrayList<>();
        security.add(Boolean.TRUE.equals(status.get("tls")) ? "TLS" : "plaintext");
        if (Boolean.TRUE.equals(status.get("mtls"))) {
            security.add("client certificates required");
        }
        if (Boolean.TRUE.equals(status.get("token"))) {
            security.add("bearer token required");
        }
        String database = postgres.get("target") + " (" + postgres.get("postgres")
                + (postgres.get("extension") != null ? ", steep_repl " + postgres.get("extension") : "")
                + (postgres.get("reason") != null ? ": " + postgres.get("reason") : "") + ")";
        return new KeyValues()
                .add("state", status.get("state"))
                .add("version", status.get("version"))
                .add("pid", status.get("pid"))
                .add("uptime", HumanFormat.duration(Duration.ofSeconds(((Number) status.get("uptime_seconds")).longValue())))
                .add("listen", status.get("listen") + ", " + String.join(", ", security))
                .add("http", status.get("http") != null ? status.get("http") : "disabled")
                .add("socket", status.get("socket"))
                .add("postgres", database)
                .add("open calls", status.get("open_calls"))
                .lines();
    }
}
