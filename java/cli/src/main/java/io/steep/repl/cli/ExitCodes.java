package io.steep.repl.cli;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.Redaction;
import io.steep.repl.jdbc.SqlErrors;
import java.sql.SQLException;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParameterException;

/** The one place where a failure becomes an {@link ErrorCode} and so a process exit code. */
final class ExitCodes implements IExitCodeExceptionMapper {

    @Override
    public int getExitCode(Throwable failure) {
        return classify(failure).code().exitCode();
    }

    /** Any throwable as a steep-repl failure with a code, a message and, where known, a hint. */
    SteepReplException classify(Throwable failure) {
        if (failure instanceof SteepReplException known) {
            return known;
        }
        if (failure instanceof ParameterException usage) {
            return new SteepReplException(ErrorCode.USAGE, usage.getMessage(), null);
        }
        if (failure instanceof SQLException sql) {
            return SqlErrors.translate(sql);
        }
        return new SteepReplException(ErrorCode.ERROR,
                "unexpected " + failure.getClass().getSimpleName() + ": " + Redaction.scrub(failure.getMessage()),
                "This is a bug in steep-repl; run again with --verbose and report the stack trace.",
                null, failure);
    }
}
