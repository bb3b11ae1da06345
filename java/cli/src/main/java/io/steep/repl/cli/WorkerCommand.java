package io.steep.repl.cli;

import io.steep.repl.SteepReplException;
import io.steep.repl.worker.Worker;
import io.steep.repl.worker.WorkerEnvironment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code steep-repl worker}: the Java worker process. The steep_repl supervisor inside
 * PostgreSQL starts it with a minimal environment naming the server; it is hidden from help
 * because running it by hand is not useful.
 */
@Command(name = "worker", hidden = true,
        description = "Run background jobs for the steep_repl extension (started by its supervisor).")
public class WorkerCommand implements Callable<Integer> {

    public WorkerCommand() {
    }

    @Override
    public Integer call() {
        WorkerEnvironment env;
        try {
            env = WorkerEnvironment.from(System.getenv());
        } catch (SteepReplException e) {
            System.err.println("steep-repl worker: " + e.getMessage());
            System.err.println("hint: " + e.hint());
            return e.code().exitCode();
        }
        return Worker.run(env);
    }
}
