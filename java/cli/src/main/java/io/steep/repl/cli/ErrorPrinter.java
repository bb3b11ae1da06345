package io.steep.repl.cli;

import io.steep.repl.SteepReplException;
import io.steep.repl.cli.output.Output;
import io.steep.repl.jdbc.ServerException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a failure: {@code error:}/{@code detail:}/{@code hint:} lines on stderr, or with
 * --json an {@code {"error": {...}}} document on stdout. Messages are already redacted.
 */
public final class ErrorPrinter {

    private ErrorPrinter() {
    }

    static void print(SteepReplException failure, Output output, PrintWriter err) {
        if (output.isJson()) {
            output.json(Map.of("error", json(failure)));
            return;
        }
        String detail = detail(failure);
        err.println("error: " + failure.getMessage());
        if (detail != null) {
            err.println("detail: " + detail);
        }
        if (failure.hint() != null) {
            err.println("hint: " + failure.hint());
        }
        err.flush();
    }

    /** The {@code "error"} object of JSON output. */
    public static Map<String, Object> json(SteepReplException failure) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", failure.code().id());
        error.put("exit_code", failure.code().exitCode());
        error.put("message", failure.getMessage());
        error.put("detail", detail(failure));
        error.put("hint", failure.hint());
        error.put("sqlstate", failure.sqlState());
        return error;
    }

    private static String detail(SteepReplException failure) {
        return failure instanceof ServerException server ? server.detail() : null;
    }
}
