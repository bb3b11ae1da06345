package io.steep.repl.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The one JSON shape of steep-repl's records: what the CLI prints with --json, what the daemon
 * sends as results, and what a client reads back into the same records. Snake_case names from
 * record components, timestamps as ISO-8601 strings, durations as seconds, nulls kept so every
 * field is always present. Only record components are written, never derived getters such as
 * {@code isFinished()}. Reading keeps every number's text (decimals as BigDecimal, trailing zeros
 * kept in JSON trees too: 100.0 stays 100.0, not 1E+2), so a record that crossed the wire prints
 * exactly as it did on the side that sent it.
 */
public final class JsonShape {
    /** The mapper; configure nothing on it (it is shared). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .addModule(new SimpleModule()
                    .addSerializer(OffsetDateTime.class, ToStringSerializer.instance)
                    .addDeserializer(OffsetDateTime.class, new TimestampDeserializer())
                    .addSerializer(Duration.class, new SecondsSerializer())
                    .addDeserializer(Duration.class, new SecondsDeserializer()))
            .build();

    private JsonShape() {
    }

    /** A duration as a number of seconds, e.g. 12.5. */
    private static final class SecondsSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(value.toNanos() / 1e9);
        }
    }

    /** Seconds back into a duration, to the nanosecond the writer kept. */
    private static final class SecondsDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigDecimal seconds = p.getDecimalValue();
            return Duration.ofNanos(seconds.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN)
                    .longValueExact());
        }
    }

    private static final class TimestampDeserializer extends JsonDeserializer<OffsetDateTime> {
        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return OffsetDateTime.parse(p.getValueAsString());
        }
    }
}
