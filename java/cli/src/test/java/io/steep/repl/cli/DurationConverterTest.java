package io.steep.repl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"90, PT1M30S", "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h30m, PT1H30M", "2d, PT48H",
        "PT2M, PT2M", "1M, PT1M"})
    void accepted(String text, String expected) {
        assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "5 m", "-5s", "0", "0s", "5x", "s", "1h-2m", "PT-1S"})
    void refused(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
