package io.steep.repl.cli.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Where a command writes: the CommandLine's out and err (so tests can capture them), in human
 * form or as one JSON document on stdout. Warnings and notices go to stderr in both modes, so
 * stdout stays parseable.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean verbose;

    public Output(CommandLine commandLine, boolean json, boolean verbose) {
        this.out = commandLine.getOut();
        this.err = commandLine.getErr();
        this.json = json;
        this.verbose = verbose;
    }

    public boolean isJson() {
        return json;
    }

    /** Writes the command's result as one JSON document. */
    public void json(Object document) {
        JsonWriter.write(out, document);
        out.flush();
    }

    /** One compact JSON document on one line, at once: for streams of events (JSON lines). */
    public void jsonLine(Object document) {
        JsonWriter.writeLine(out, document);
    }

    /** A result: {@code {"<name>": value}} with --json, else the human lines. */
    public void show(String name, Object value, Supplier<List<String>> human) {
        if (json) {
            json(Map.of(name, value));
        } else {
            lines(human.get());
        }
    }

    /** A list result: {@code {"<name>": [...]}} with --json, else {@code none} when empty, else the human lines. */
    public void showList(String name, List<?> items, String none, Supplier<List<String>> human) {
        show(name, items, () -> items.isEmpty() ? List.of(none) : human.get());
    }

    /** Writes lines of human output. */
    public void lines(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    /** Text written over the current line of a terminal: no newline, flushed at once. */
    public void overwrite(String text) {
        out.print(text);
        out.flush();
    }

    /** What goes on, for people, on stderr in both modes (e.g. a run started, how to follow it). */
    public void status(String message) {
        err.println(message);
        err.flush();
    }

    public void warning(String message) {
        err.println("warning: " + message);
        err.flush();
    }

    public void notice(String message) {
        err.println("notice: " + message);
        err.flush();
    }

    /** Diagnostics shown only with --verbose. */
    public void verbose(String message) {
        if (verbose) {
            err.println(message);
            err.flush();
        }
    }
}
