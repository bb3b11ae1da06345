package io.steep.repl.cli.daemon;

import io.steep.repl.cli.VersionProvider;
import io.steep.repl.cli.output.Output;
import io.steep.repl.daemon.Daemon;
import io.steep.repl.daemon.config.ConfigKey;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.jdbc.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Loads the config and runs the daemon; apart from the command so that --help loads none of it. */
final class DaemonRun {
    private DaemonRun() {
    }

    static void run(Environment environment, Output output, Path file, boolean insecure) throws InterruptedException {
        Map<ConfigKey, ConfigLoader.Flag> flags = insecure
                ? Map.of(ConfigKey.INSECURE, new ConfigLoader.Flag("--insecure", "true")) : Map.of();
        DaemonConfig config = new ConfigLoader(environment, output::warning).load(file, flags);
        output.verbose("config: " + config);
        Daemon.runUntilStopped(config, DaemonServices.SERVICES, version(), System.err);
    }

    private static String version() {
        try {
            return VersionProvider.version();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
