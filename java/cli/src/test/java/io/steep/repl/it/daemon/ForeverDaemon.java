package io.steep.repl.it.daemon;

import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.jdbc.Environment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A daemon process for the shutdown test: what {@code steep-repl daemon run --config FILE} runs,
 * with a service that streams until the call ends.
 */
public final class ForeverDaemon {
    private ForeverDaemon() {
    }

    public static void main(String[] args) throws InterruptedException {
        DaemonConfig config = new ConfigLoader(Environment.system(), System.err::println).load(Path.of(args[0]), Map.of());
        Daemon.runUntilStopped(config, database -> List.of(TestServices.forever()), "test", System.err);
    }
}
