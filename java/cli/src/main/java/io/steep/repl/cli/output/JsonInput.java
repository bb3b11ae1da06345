package io.steep.repl.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** Checks JSON typed on the command line before it goes to the server. */
public final class JsonInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonInput() {
    }

    /** Why the text is not a JSON object, or empty when it is one. */
    public static Optional<String> objectProblem(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() ? Optional.empty()
                    : Optional.of("expected a JSON object such as {\"key\": \"value\"}");
        } catch (JsonProcessingException e) {
            return Optional.of(e.getOriginalMessage());
        }
    }
}
