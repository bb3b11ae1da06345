package io.steep.repl.snapshot.apply;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Builds the schema from {@code pre-data.sql} with psql, in one transaction that also records
 * the build in the ledger: either the whole schema and its ledger row exist afterwards, or
 * neither does. psql stops at the first error (ON_ERROR_STOP) and its message becomes the job's.
 * The session first becomes the job's submitter for good (ServerAccess#enterStatement), alone
 * and before the transaction, so that nothing in the script can act as anybody else.
 */
final class PreDataRunner {
    /** psql variable holding the snapshot id; psql quotes it as a literal where :'name' appears. */
    private static final String SNAPSHOT_VARIABLE = "steep_snapshot_id";
    /** Lines of psql's output kept for the error message. */
    private static final int ERROR_LINES = 5;

    private PreDataRunner() {
    }

    /** What must hold before the schema's transaction commits; it throws otherwise. */
    @FunctionalInterface
    interface CommitGate {
        void pass() throws Exception;
    }

    /**
     * Runs the script: pre-data.sql without steep_repl's own objects and with no psql command but
     * pg_dump's guard ({@link PreDataFilter}).
     *
     * @param psql        the psql executable
     * @param environment PGHOST, PGPORT, PGDATABASE, PGUSER and PGOPTIONS for the target, and
     *                    nothing secret on the command line
     * @param enter       the statement that makes the session the submitter's, run first
     * @param beforeCommit called once the script is sent, before the transaction commits; when
     *                     it throws, psql is stopped and nothing of the schema is kept
     */
    static void run(Path psql, Map<String, String> environment, String enter, String preData, String snapshotId,
            BooleanSupplier cancelled, CommitGate beforeCommit) throws Exception {
        List<String> command = new ArrayList<>(List.of(psql.toString(), "--no-psqlrc", "--quiet",
                "--set", "ON_ERROR_STOP=1", "--set", SNAPSHOT_VARIABLE + "=" + snapshotId, "--file", "-"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> collect(process.getInputStream(), output), "steep_repl-psql-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((enter + ";\nBEGIN;\n").getBytes(StandardCharsets.UTF_8));
            stdin.write(preData.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            try {
                beforeCommit.pass();
            } catch (Exception | Error e) {
                // psql's transaction is rolled back when its session ends.
                process.destroy();
                process.waitFor();
                throw e;
            }
            // After pg_dump's own statements, in the same transaction.
            stdin.write(("\n;\nINSERT INTO steep_repl.snapshot_loads (snapshot_id, step) VALUES (:'"
                    + SNAPSHOT_VARIABLE + "', '" + LoadLedger.SCHEMA + "');\nCOMMIT;\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // psql exited early (an error with ON_ERROR_STOP): its output below says why.
        }
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (cancelled.getAsBoolean()) {
                // psql's transaction is rolled back when its session ends.
                process.destroy();
                process.waitFor();
                throw new TaskPool.CancelledException();
            }
        }
        reader.join();
        if (process.exitValue() != 0) {
            throw new SteepReplException(ErrorCode.ERROR, "building the schema from pre-data.sql failed: "
                    + lastLines(output.toString()), "Nothing of the schema was kept (it runs in one transaction). "
                    + "Check that the role running the apply may create these objects, or create the schema "
                    + "first and apply again.");
        }
    }

    private static void collect(InputStream in, StringBuilder output) {
        try {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (output) {
                output.append(text);
            }
        } catch (IOException e) {
            // the process is gone; what was read is all there is
        }
    }

    private static String lastLines(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return "psql failed without a message";
        }
        return String.join(" ", lines.subList(Math.max(0, lines.size() - ERROR_LINES), lines.size())).strip();
    }
}
