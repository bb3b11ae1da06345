package io.steep.repl.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The JSON shape of CLI output: snake_case names from record components, timestamps as
 * ISO-8601 strings, durations as seconds, nulls kept so every field is always present.
 * Only record components are written, never derived getters such as {@code isFinished()}.
 */
public final class JsonWriter {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule()
                    .addSerializer(OffsetDateTime.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, new SecondsSerializer()))
            .build();

    private JsonWriter() {
    }

    /** One indented document. */
    static void write(PrintWriter out, Object document) {
        try {
            out.println(MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One compact document on one line, flushed at once: for streams of events (JSON lines). */
    public static void writeLine(PrintWriter out, Object document) {
        try {
            out.println(MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A duration as a number of seconds, e.g. 12.5. */
    private static final class SecondsSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(value.toNanos() / 1e9);
        }
    }
}
