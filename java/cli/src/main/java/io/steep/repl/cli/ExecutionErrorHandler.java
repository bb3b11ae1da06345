package io.steep.repl.cli;

import io.steep.repl.SteepReplException;
import java.io.PrintWriter;
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
            failure.printStackTrace(err);
            err.flush();
        }
        return classified.code().exitCode();
    }
}
