package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {

    @Test
    void aFailureWithoutTextIsNamedByItsTypeAndCause() {
        assertThat(ErrorMessages.describe(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(ErrorMessages.describe(new RuntimeException((String) null, new IOException("no space left"))))
                .isEqualTo("RuntimeException: no space left");
        assertThat(ErrorMessages.describe(new UncheckedIOException(new IOException("broken pipe"))))
                .contains("broken pipe");
    }

    @Test
    void aClientSideSqlErrorSaysWhyTheConnectionFailed() {
        SQLException e = new SQLException("The connection attempt failed.", "08001",
                new IOException("No such file or directory"));

        assertThat(ErrorMessages.describe(e)).isEqualTo("The connection attempt failed. (No such file or directory)");
    }

    @Test
    void longMessagesAreCutAndMarked() {
        String described = ErrorMessages.describe(new IllegalStateException("x".repeat(10_000)));

        assertThat(described).hasSize(ErrorMessages.MAX_LENGTH).endsWith("...");
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        String text = "ab" + emoji + "cdefgh";

        assertThat(ErrorMessages.truncate(text, 6)).isEqualTo("ab...");
        assertThat(ErrorMessages.truncate(text, 7)).isEqualTo("ab" + emoji + "...");
        assertThat(ErrorMessages.truncate("short", 7)).isEqualTo("short");
        assertThat(ErrorMessages.truncate(null, 7)).isNull();
    }
}
