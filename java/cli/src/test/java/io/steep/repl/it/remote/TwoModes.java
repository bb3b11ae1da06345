package io.steep.repl.it.remote;

import io.steep.repl.cli.CliDriver;
import java.util.ArrayList;
import java.util.List;

/**
 * The same command line run both ways: directly against a database ({@code --direct -c CONN})
 * and through the in-process daemon over that database ({@code --remote}).
 *
 * @param conninfo the database both ways reach
 */
record TwoModes(CliDriver cli, String conninfo, InProcessDaemon daemon) {

    CliDriver.Result direct(String... args) {
        return cli.run(with(args, "--direct", "-c", conninfo));
    }

    CliDriver.Result remote(String... args) {
        return cli.run(with(args, "--remote", daemon.address()));
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
