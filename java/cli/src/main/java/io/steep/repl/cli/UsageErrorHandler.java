package io.steep.repl.cli;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.cli.output.Output;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that does not parse: the error, a suggestion for a misspelt word, the
 * synopsis, and where to read more. With --json only the error document is printed.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
    private final ExitCodes exitCodes;

    UsageErrorHandler(ExitCodes exitCodes) {
        this.exitCodes = exitCodes;
    }

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        String seeHelp = "See '" + command + " --help'.";
        PrintWriter err = commandLine.getErr();
        if (jsonRequested(args)) {
            Output output = new Output(commandLine, true, false);
            ErrorPrinter.print(new SteepReplException(ErrorCode.USAGE, failure.getMessage(), seeHelp), output, err);
        } else {
            err.println("error: " + failure.getMessage());
            UnmatchedArgumentException.printSuggestions(failure, err);
            err.print(commandLine.getHelp().fullSynopsis());
            err.println(seeHelp);
            err.flush();
        }
        return exitCodes.getExitCode(failure);
    }

    /** The parse failed, so the option may not have been bound; look at the words themselves. */
    private static boolean jsonRequested(String[] args) {
        List<String> words = List.of(args);
        int end = words.indexOf("--");
        return (end < 0 ? words : words.subList(0, end)).contains("--json");
    }
}
