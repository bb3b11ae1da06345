package io.steep.repl.cli;

import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.Redaction;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Reports a command that failed while running: a short error and hint, the stack only with --verbose. */
final class ExecutionErrorHandler implements IExecutionExceptionHandler {
    private final ExitCodes exitCodes;

    ExecutionErrorHandler(ExitCodes exitCodes) {
        this.exitCodes = exitCodes;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        SteepRepl root = SteepRepl.of(commandLine.getCommandSpec());
        SteepReplException classified = exitCodes.classify(failure);
        PrintWriter err = commandLine.getErr();
        ErrorPrinter.print(classified, root.output(commandLine), err);
        if (root.verbose()) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(Redaction.scrub(trace.toString()));
            err.flush();
        }
        return classified.code().exitCode();
    }
}
