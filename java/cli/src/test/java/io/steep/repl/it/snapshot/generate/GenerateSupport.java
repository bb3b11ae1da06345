package io.steep.repl.it.snapshot.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.it.WorkerClusters;
import io.steep.repl.testkit.PgCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** Starting a cluster, submitting generate jobs and reading what they wrote, for the generate ITs. */
final class GenerateSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> FINAL = Set.of("complete", "failed", "cancelled");
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);
    private static final AtomicInteger IDS = new AtomicInteger();

    private GenerateSupport() {
    }

    /** A cluster with the extension, its worker connected, and up to {@code jobs} jobs at once. */
    static PgCluster startCluster(String name) {
        return WorkerClusters.start(name, "steep_repl.max_concurrent_jobs", "2");
    }

    static long awaitWorker(PgCluster cluster) {
        return WorkerClusters.awaitWorker(cluster);
    }

    /** A directory the server's OS user may write in, where snapshot directories go. */
    static Path snapshotRoot(PgCluster cluster) {
        return cluster.serverDirectory("snapshots");
    }

    static String newSnapshotId() {
        return String.format("snap_20260101_000000_%08x", IDS.incrementAndGet());
    }

    static ObjectNode params(String snapshotId, Path path, String compression, int parallel) {
        ObjectNode params = JSON.createObjectNode();
        params.put("snapshot_id", snapshotId);
        params.put("path", path.toString());
        // As start_snapshot queues it: the manifest's {"method", "level"} object.
        params.set("compression", JSON.valueToTree(CompressionSpec.parse(compression)));
        params.put("parallel", parallel);
        params.putObject("options");
        return params;
    }

    static long submit(PgCluster cluster, String role, JsonNode params, int maxAttempts) {
        try (Connection c = cluster.connect("postgres", role);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM steep_repl.submit_job('snapshot.generate', ?::jsonb, ?)")) {
            ps.setString(1, params.toString());
            ps.setInt(2, maxAttempts);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String status(PgCluster cluster, long job) {
        return column(cluster, job, "status");
    }

    static String column(PgCluster cluster, long job, String expression) {
        return cluster.queryString("SELECT " + expression + " FROM steep_repl.work_queue WHERE id = " + job);
    }

    static String awaitFinal(PgCluster cluster, long job) {
        PgCluster.waitFor(JOB_TIMEOUT, () -> FINAL.contains(status(cluster, job)),
                "job " + job + " to finish (it is " + status(cluster, job) + ")");
        return status(cluster, job);
    }

    /** Runs a job to its end and fails with its error unless it completed. */
    static JsonNode generate(PgCluster cluster, String role, JsonNode params) {
        long job = submit(cluster, role, params, 1);
        String status = awaitFinal(cluster, job);
        if (!"complete".equals(status)) {
            throw new AssertionError("job " + job + " " + status + ": " + column(cluster, job, "error_message"));
        }
        try {
            return JSON.readTree(column(cluster, job, "result"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the job copies data (shared memory shows the data phase with rows). */
    static void awaitCopying(PgCluster cluster, long job) {
        PgCluster.waitFor(JOB_TIMEOUT, () -> "t".equals(cluster.queryString(
                "SELECT phase = 'data' AND rows_done > 0 FROM steep_repl.job_progress(" + job + ")"))
                || FINAL.contains(status(cluster, job)), "job " + job + " to copy data");
    }

    /** The decompressed COPY output of a part, text or binary as its table's data format. */
    static byte[] copyText(Path dir, Manifest manifest, Manifest.PartEntry part) {
        try (InputStream in = manifest.compression().method().decompress(Files.newInputStream(dir.resolve(part.file())))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of every part of a table, in part order; a binary part as the server reads it:
     * loaded into a temporary table of the same columns and copied out as text.
     */
    static List<String> tableLines(PgCluster cluster, Path dir, Manifest manifest, Manifest.TableEntry table) {
        List<String> lines = new ArrayList<>();
        for (Manifest.PartEntry part : table.parts()) {
            byte[] data = copyText(dir, manifest, part);
            String text = table.dataFormat() == DataFormat.BINARY ? readBack(cluster, table, data)
                    : new String(data, StandardCharsets.UTF_8);
            text.lines().forEach(lines::add);
        }
        return lines;
    }

    private static String readBack(PgCluster cluster, Manifest.TableEntry table, byte[] binary) {
        String columns = table.columns().isEmpty() ? ""
                : " (" + String.join(", ", table.columns().stream().map(GenerateSupport::quote).toList()) + ")";
        try (Connection c = cluster.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE part_rows (LIKE " + quote(table.schema()) + "." + quote(table.name()) + ")");
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY part_rows" + columns + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(binary));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy.copyOut("COPY part_rows" + columns + " TO STDOUT", out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** What the server's own COPY of the same columns gives now, one line per row. */
    static List<String> serverLines(PgCluster cluster, Manifest.TableEntry table) {
        String columns = String.join(", ", table.columns().stream().map(GenerateSupport::quote).toList());
        String sql = "COPY (SELECT " + columns + " FROM ONLY " + quote(table.schema()) + "." + quote(table.name())
                + ") TO STDOUT";
        try (Connection c = cluster.connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
