package io.steep.repl.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PostgreSQL installations other than the one the extension is built for, which tests start as
 * plain peers ({@link PgCluster.Builder#plainPeer}). The build installs them and names their
 * bin directories in system properties; a missing one fails the test that needs it, with the
 * way to install it, rather than skipping it.
 */
public final class OtherPostgres {
    /** Set by the build (java/pom.xml): PostgreSQL 18's initdb, pg_ctl and postgres. */
    public static final String PG18_BINDIR_PROPERTY = "steep.pg18.bindir";
    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

    private OtherPostgres() {
    }

    /** The bin directory of PostgreSQL 18; fails when the build's copy is not there. */
    public static Path pg18() {
        return binDir(PG18_BINDIR_PROPERTY, "scripts/install-pg18-peer.sh (make test runs it)");
    }

    private static Path binDir(String property, String installer) {
        String configured = System.getProperty(property, "");
        if (configured.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; "
                    + "hint: run the tests through Maven (java/pom.xml sets it), or pass -D" + property + "=DIR");
        }
        Path dir = Path.of(configured);
        for (String program : PROGRAMS) {
            if (!Files.isExecutable(dir.resolve(program))) {
                throw new IllegalStateException("no executable " + program + " in " + dir + " (" + property + "); "
                        + "hint: install it with " + installer + " as root, or elsewhere with its PG18_HOME=DIR "
                        + "and then -D" + property + "=DIR/bin");
            }
        }
        return dir;
    }
}
