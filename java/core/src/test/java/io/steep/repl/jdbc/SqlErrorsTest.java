package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.ErrorCode;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class SqlErrorsTest {

    /** An error as the server sends it: one field per NUL-terminated part, each led by its type letter. */
    static PSQLException serverError(String sqlState, String message, String detail, String hint) {
        StringBuilder fields = new StringBuilder("SERROR\0VERROR\0C" + sqlState + "\0M" + message + "\0");
        if (detail != null) {
            fields.append('D').append(detail).append('\0');
        }
        if (hint != null) {
            fields.append('H').append(hint).append('\0');
        }
        return new PSQLException(new ServerErrorMessage(fields.toString()));
    }

    @ParameterizedTest
    @CsvSource({
        "08001, CONNECTION", "08006, CONNECTION", "28P01, CONNECTION", "28000, CONNECTION", "3D000, CONNECTION",
        "57P01, CONNECTION", "57014, CANCELLED", "42501, ERROR", "55000, ERROR", "22023, ERROR", "42704, ERROR",
        "3F000, ERROR"})
    void classifiesBySqlstate(String sqlState, ErrorCode expected) {
        assertThat(SqlErrors.classify(sqlState)).isEqualTo(expected);
    }

    @Test
    void noSqlstateIsAPlainError() {
        assertThat(SqlErrors.classify(null)).isEqualTo(ErrorCode.ERROR);
    }

    @Test
    void keepsTheServersMessageDetailAndHint() {
        ServerException e = SqlErrors.translate(serverError("55000", "steep_repl shared memory is not initialized",
                "The steep_repl library was not loaded via shared_preload_libraries.",
                "Add steep_repl to shared_preload_libraries in postgresql.conf and restart the server."));

        assertThat(e.code()).isEqualTo(ErrorCode.ERROR);
        assertThat(e.getMessage()).isEqualTo("steep_repl shared memory is not initialized");
        assertThat(e.detail()).isEqualTo("The steep_repl library was not loaded via shared_preload_libraries.");
        assertThat(e.hint()).startsWith("Add steep_repl to shared_preload_libraries");
        assertThat(e.sqlState()).isEqualTo("55000");
    }

    @Test
    void insufficientPrivilegeGetsAGrantHintUnlessTheServerGaveOne() {
        ServerException generic = SqlErrors.translate(serverError("42501", "permission denied for table nodes", null, null));
        ServerException specific = SqlErrors.translate(serverError("42501", "permission denied", null, "Ask alice."));

        assertThat(generic.code()).isEqualTo(ErrorCode.ERROR);
        assertThat(generic.hint()).contains("GRANT");
        assertThat(specific.hint()).isEqualTo("Ask alice.");
    }

    @Test
    void cancelledStatements() {
        ServerException e = SqlErrors.translate(serverError("57014", "canceling statement due to user request", null, null));

        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(e.hint()).isNotBlank();
    }

    @Test
    void secretsInServerTextAreScrubbed() {
        ServerException e = SqlErrors.translate(serverError("08001", "could not connect: password=hunter22 host=x",
                "dsn postgresql://u:hunter22@x/db", null));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.getMessage()).doesNotContain("hunter22");
        assertThat(e.detail()).doesNotContain("hunter22");
    }

    @Test
    void plainSqlExceptions() {
        ServerException e = SqlErrors.translate(new SQLException("driver trouble", "08003"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.getMessage()).isEqualTo("driver trouble");
        assertThat(e.detail()).isNull();
    }
}
