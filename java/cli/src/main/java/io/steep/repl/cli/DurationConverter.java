package io.steep.repl.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations such as {@code 90} (seconds), {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m} or {@code PT2M}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.matches("\\d+")) {
                return positive(Duration.ofSeconds(Long.parseLong(text)), value);
            }
            if (text.startsWith("p")) {
                return positive(Duration.parse(text.toUpperCase(Locale.ROOT)), value);
            }
            Matcher m = PART.matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.lookingAt()) {
                total = total.plus(unit(Long.parseLong(m.group(1)), m.group(2)));
                end = m.end();
                m.region(end, text.length());
            }
            if (end == text.length() && end > 0) {
                return positive(total, value);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new TypeConversionException("invalid duration '" + value + "' (examples: 30s, 5m, 1h30m, 500ms)");
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Duration positive(Duration duration, String value) {
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("a duration must be positive, not '" + value + "'");
        }
        return duration;
    }
}
