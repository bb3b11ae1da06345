package io.steep.repl.snapshot.generate;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.job.JobContext;
import io.steep.repl.job.ServerAccess;
import io.steep.repl.snapshot.manifest.DurableFiles;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes one schema file with {@code pg_dump --schema-only --section=<section> --snapshot=<id>},
 * connected as the bootstrap superuser but running as the submitter from its first statement
 * ({@code PGOPTIONS=-c role=...}), so it sees what the submitter may see. The file is written
 * as {@code .tmp} and published only when pg_dump succeeded.
 */
final class SchemaDumper {
    /** Enough of pg_dump's stderr to explain a failure. */
    private static final int MAX_STDERR = 16 * 1024;
    private static final long POLL_MILLIS = 200;
    private static final String EXTENSION_SCHEMA = "steep_repl";

    private final JobContext context;
    private final Path pgDump;
    private final String snapshotName;
    private final List<String> selection;
    private final ChecksumAlgorithm checksum;

    /**
     * @param filter     the run's schema options, passed on as --schema / --exclude-schema
     * @param dumpTables when not empty, exactly these tables (--table), for runs limited by table
     */
    SchemaDumper(JobContext context, Path pgDump, String snapshotName, TableFilter filter,
            List<Manifest.TableName> dumpTables, ChecksumAlgorithm checksum) {
        this.context = context;
        this.pgDump = pgDump;
        this.snapshotName = snapshotName;
        this.selection = selection(filter, dumpTables);
        this.checksum = checksum;
    }

    static List<String> selection(TableFilter filter, List<Manifest.TableName> dumpTables) {
        List<String> args = new ArrayList<>();
        if (!dumpTables.isEmpty()) {
            dumpTables.forEach(t -> args.add("--table=" + t.quoted()));
            return args;
        }
        filter.includeSchemas().forEach(s -> args.add("--schema=" + SqlIdentifiers.quote(s)));
        filter.excludeSchemas().forEach(s -> args.add("--exclude-schema=" + SqlIdentifiers.quote(s)));
        // steep_repl's own configuration tables and sequences (the node registry, the audit log)
        // belong to the source node, and only their owner may read them.
        args.add("--exclude-schema=" + EXTENSION_SCHEMA);
        return args;
    }

    Manifest.FileEntry dump(String section, Path directory, String file) throws IOException, InterruptedException {
        Path target = directory.resolve(file);
        Path tmp = DurableFiles.tmpOf(target);
        // pg_dump opens --file by name: it finds the file this run just created, not a planted link.
        DurableFiles.createNew(tmp).close();
        List<String> command = new ArrayList<>(List.of(pgDump.toString(), "--schema-only", "--section=" + section,
                "--snapshot=" + snapshotName, "--no-password", "--file=" + tmp));
        command.addAll(selection);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PG"));
        ServerAccess access = context.serverAccess();
        env.putAll(access.libpqEnvironment("steep_repl job " + context.jobId() + " pg_dump"));
        Process process = builder.start();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(process.getErrorStream(), stderr), "steep_repl-pg_dump-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                context.checkCancelled();
            }
        } finally {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                Files.deleteIfExists(tmp);
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        if (process.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            String message;
            synchronized (stderr) {
                message = stderr.toString(StandardCharsets.UTF_8).trim();
            }
            throw new SteepReplException(ErrorCode.ERROR, "pg_dump (" + section + ") failed with exit status "
                    + process.exitValue() + (message.isEmpty() ? "" : ": " + lastLines(message)),
                    "pg_dump runs as the submitting role; it needs the privileges to read every object it dumps.");
        }
        byte[] content = Files.readAllBytes(tmp);
        DurableFiles.publish(tmp, target);
        return new Manifest.FileEntry(file, content.length, checksum, checksum.of(content));
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (sink) {
                    if (sink.size() < MAX_STDERR) {
                        sink.write(buffer, 0, Math.min(n, MAX_STDERR - sink.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is enough
        }
    }

    private static String lastLines(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
