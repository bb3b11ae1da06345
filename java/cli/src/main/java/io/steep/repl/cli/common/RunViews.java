package io.steep.repl.cli.common;

import io.steep.repl.cli.output.Output;
import io.steep.repl.run.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The progress and cancel answers every kind of run gives the same way. */
public final class RunViews {
    private RunViews() {
    }

    /** {@code {"progress": [...]}} with --json, else one block of lines per run, or {@code none}. */
    public static <P> void progress(Output output, List<P> runs, String none, Function<P, List<String>> lines) {
        output.showList("progress", runs, none, () -> {
            List<String> all = new ArrayList<>();
            for (P run : runs) {
                if (!all.isEmpty()) {
                    all.add("");
                }
                all.addAll(lines.apply(run));
            }
            return all;
        });
    }

    /** A run just cancelled: {@code {"<name>": run}}, or one line saying what happened. */
    public static void cancelled(Output output, String name, RunRecord run) {
        output.show(name, run, () -> List.of(name + " " + run.runId() + ": "
                + ("running".equals(run.status()) ? "cancel requested" : run.status())));
    }
}
