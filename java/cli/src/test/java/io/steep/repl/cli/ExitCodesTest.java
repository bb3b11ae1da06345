package io.steep.repl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class ExitCodesTest {
    private final ExitCodes exitCodes = new ExitCodes();

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeIsItsOwnExitCode(ErrorCode code) {
        assertThat(exitCodes.getExitCode(new SteepReplException(code, "x", null))).isEqualTo(code.exitCode());
    }

    @Test
    void theDocumentedNumbers() {
        assertThat(ErrorCode.ERROR.exitCode()).isEqualTo(1);
        assertThat(ErrorCode.USAGE.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.CANCELLED.exitCode()).isEqualTo(4);
        assertThat(ErrorCode.TIMEOUT.exitCode()).isEqualTo(5);
        assertThat(ErrorCode.CONNECTION.exitCode()).isEqualTo(6);
    }

    @Test
    void usageAndSqlAndUnexpectedFailures() {
        CommandLine commandLine = new CommandLine(CommandSpec.create());
        assertThat(exitCodes.getExitCode(new ParameterException(commandLine, "bad"))).isEqualTo(2);
        assertThat(exitCodes.getExitCode(new SQLException("gone", "08006"))).isEqualTo(6);
        assertThat(exitCodes.getExitCode(new SQLException("cancelled", "57014"))).isEqualTo(4);
        assertThat(exitCodes.getExitCode(new SQLException("odd", "XX000"))).isEqualTo(1);

        SteepReplException unexpected = exitCodes.classify(new IllegalStateException("password=hunter2 boom"));
        assertThat(unexpected.code()).isEqualTo(ErrorCode.ERROR);
        assertThat(unexpected.getMessage()).isEqualTo("unexpected IllegalStateException: password=******** boom");
        assertThat(unexpected.hint()).contains("--verbose");
    }
}
