package io.steep.repl.it.snapshot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.it.snapshot.api.RunObservations.Sample;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot run seen from outside, end to end on real clusters: start_snapshot returns at
 * once, progress moves forward in snapshot_progress() of another session and on the
 * steep_repl_progress channel (a few messages per second at most, one final one), the run
 * outlives the client that started it, wait and cancel end it as documented, the SQL API and
 * the CLI write the same snapshot of the same data, and the CLI applies it into another cluster.
 */
class SnapshotLifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_PATTERN = "snap_\\d{8}_\\d{6}_[0-9a-f]{8}";
    /** Tables the slow runs work through one by one, so tables and rows advance while they are watched. */
    private static final int LOAD_TABLES = 20;
    /** gzip at its slowest level on one connection: a run that lasts seconds on a small database. */
    private static final String SLOW_COMPRESSION = "gzip:9";
    /** Messages per second a listener may get at most ("a few per second"). */
    private static final int MAX_MESSAGES_PER_SECOND = 10;

    private static PgCluster source;
    private static PgCluster target;
    private static Path root;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws IOException {
        source = ApplySupport.startCluster("lifecycle-src");
        target = ApplySupport.startCluster("lifecycle-dst");
        List<String> setup = new ArrayList<>(ApplySupport.AWKWARD_SCHEMA);
        setup.addAll(ApplySupport.AWKWARD_DATA);
        setup.add("CREATE SCHEMA load");
        // Each table stays far below a quarter of shared_buffers: its sequential scans are not
        // synchronized, so two runs read the rows in the same order and write the same bytes.
        setup.add("DO $$ BEGIN FOR i IN 1.." + LOAD_TABLES + " LOOP "
                + "EXECUTE format('CREATE TABLE load.%I (id int PRIMARY KEY, pad text)', 't' || i); "
                + "EXECUTE format('INSERT INTO load.%I SELECT g, md5(g::text) || md5((g * %s)::text) "
                + "FROM generate_series(1, 60000) g', 't' || i, i); END LOOP; END $$");
        setup.add("VACUUM ANALYZE");
        source.exec(setup.toArray(String[]::new));
        root = source.serverDirectory("snapshots");
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(target, source);
    }

    @Test
    void startReturnsAtOnceAndAnotherSessionSeesTheProgressMoveForward() throws Exception {
        Started run = startSnapshot(root.resolve("watched"), SLOW_COMPRESSION, 1);
        assertThat(run.status()).isEqualTo("pending");
        assertThat(run.snapshotId()).matches(ID_PATTERN);

        List<Sample> samples;
        try (Connection other = source.connect()) {
            samples = RunObservations.sampleUntilFinished(other, run.snapshotId());
        }

        List<Sample> copying = samples.stream()
                .filter(s -> s.status().equals("running") && "data".equals(s.phase()) && s.percent() != null).toList();
        assertThat(copying).as("samples taken while the data was being copied (all samples: %s)", samples)
                .hasSizeGreaterThanOrEqualTo(3);
        RunObservations.assertNonDecreasing(copying, Sample::percent, "percent");
        RunObservations.assertNonDecreasing(copying, Sample::rowsDone, "rows_done");
        RunObservations.assertNonDecreasing(copying, Sample::bytesDone, "bytes_done");
        RunObservations.assertNonDecreasing(copying, s -> (double) s.tablesCompleted(), "tables_completed");
        Sample first = copying.get(0);
        Sample last = copying.get(copying.size() - 1);
        assertThat(last.rowsDone()).isGreaterThan(first.rowsDone());
        assertThat(last.bytesDone()).isGreaterThan(first.bytesDone());
        // The last look of the data phase may come after its last table is done, before the phase moves on.
        assertThat(last.percent()).isGreaterThan(first.percent()).isLessThanOrEqualTo(100.0);
        assertThat(last.tablesCompleted()).isGreaterThan(first.tablesCompleted())
                .isLessThanOrEqualTo(last.tablesTotal());
        assertThat(copying).allSatisfy(s -> assertThat(s.tablesTotal()).isGreaterThan(LOAD_TABLES));
        // The data phase begins before its first table does: only then is current_table null.
        assertThat(copying.stream().map(Sample::currentTable).filter(t -> t != null).distinct().toList())
                .as("current tables while copying").hasSizeGreaterThanOrEqualTo(2);
        assertThat(copying.stream().filter(s -> s.currentTable() == null && s.rowsDone() > 0).toList())
                .as("samples with rows copied but no current table").isEmpty();

        Sample end = samples.get(samples.size() - 1);
        assertThat(end.status()).isEqualTo("complete");
        assertThat(end.percent()).isEqualTo(100.0);
        assertThat(end.tablesCompleted()).isEqualTo(end.tablesTotal()).isEqualTo(last.tablesTotal());
        assertThat(end.rowsDone()).isGreaterThanOrEqualTo(last.rowsDone());
    }

    @Test
    void listenersGetAFewMessagesPerSecondAndOneFinalComplete() throws Exception {
        List<JsonNode> messages;
        Started run;
        try (Connection listener = source.connect()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN steep_repl_progress");
            }
            run = startSnapshot(root.resolve("listened"), SLOW_COMPRESSION, 1);
            messages = RunObservations.listenUntilFinished(listener, run.jobId());
        }

        assertThat(messages).as("messages of job %d", run.jobId()).hasSizeGreaterThanOrEqualTo(3);
        // Every message is in the snapshot shape, from the worker's "starting" to the final one.
        assertThat(messages.get(0).path("phase").asText()).as("first message").isEqualTo("starting");
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.path("op").asText()).as("op of %s", m).isEqualTo("snapshot");
            assertThat(m.path("snapshot_id").asText()).as("snapshot_id of %s", m).isEqualTo(run.snapshotId());
            assertThat(m.path("phase").asText()).as("phase of %s", m).isNotBlank();
            assertThat(m.path("percent").isNumber()).as("percent of %s", m).isTrue();
        });
        List<Double> percents = messages.stream().map(m -> m.path("percent").asDouble()).toList();
        assertThat(percents).as("percent over the messages").isSorted();
        List<String> tables = messages.stream().filter(m -> m.path("phase").asText().equals("data"))
                .map(m -> m.path("table").asText(null)).filter(t -> t != null).distinct().toList();
        assertThat(tables).as("tables named in data-phase messages").hasSizeGreaterThanOrEqualTo(2);

        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.path("phase").asText()).isEqualTo("complete");
        assertThat(last.path("percent").asDouble()).isEqualTo(100.0);
        assertThat(messages.stream().filter(m -> RunObservations.FINAL.contains(m.path("phase").asText())))
                .as("final messages").hasSize(1);

        double seconds = Double.parseDouble(source.queryString("SELECT extract(epoch FROM finished_at - started_at) "
                + "FROM steep_repl.snapshots WHERE snapshot_id = '" + run.snapshotId() + "'"));
        long allowed = MAX_MESSAGES_PER_SECOND * (long) Math.ceil(Math.max(1.0, seconds));
        assertThat(messages).as("messages of a %.1f s run (at most %d per second)", seconds, MAX_MESSAGES_PER_SECOND)
                .hasSizeLessThanOrEqualTo((int) allowed);
    }

    @Test
    void theRunOutlivesItsClientAndWaitReturnsTheFinalRow() throws Exception {
        Path dir = root.resolve("detached");
        Started run = startSnapshot(dir, SLOW_COMPRESSION, 2);
        // startSnapshot has closed its connection: the submitting client is gone.
        assertThat(source.queryString("SELECT status FROM steep_repl.snapshots WHERE snapshot_id = '"
                + run.snapshotId() + "'")).as("status once the client is gone").isIn("pending", "running");

        Map<String, String> row = waitSnapshot(run.snapshotId());

        assertThat(row.get("status")).as(row.get("error_message")).isEqualTo("complete");
        assertThat(row.get("snapshot_id")).isEqualTo(run.snapshotId());
        assertThat(row.get("op")).isEqualTo("generate");
        assertThat(row.get("path")).isEqualTo(dir.toString());
        assertThat(row.get("started_at")).isNotNull();
        assertThat(row.get("finished_at")).isNotNull();
        assertThat(row.get("error_message")).isNull();
        Path manifestFile = dir.resolve("manifest.json");
        assertThat(manifestFile).isRegularFile();
        JsonNode manifest = JSON.readTree(manifestFile.toFile());
        assertThat(row.get("manifest_sha256")).isEqualTo(sha256(manifestFile));
        assertThat(row.get("lsn")).isEqualTo(manifest.path("consistency").path("lsn").asText());
        assertThat(row.get("tables_total")).isEqualTo(manifest.path("totals").path("tables").asText());
        assertThat(row.get("tables_completed")).isEqualTo(row.get("tables_total"));
        assertThat(row.get("rows_total")).isEqualTo(manifest.path("totals").path("rows").asText());
        assertThat(Long.parseLong(row.get("bytes_total"))).isGreaterThanOrEqualTo(manifest.path("totals").path("bytes").asLong());
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString).filter(f -> f.endsWith(".tmp")).toList()).as("temporary files").isEmpty();
        }
    }

    @Test
    void cancelDuringTheCopyEndsCancelledWithoutAManifest() throws Exception {
        Path dir = root.resolve("cancelled");
        Started run = startSnapshot(dir, SLOW_COMPRESSION, 1);
        PgCluster.waitFor(RunObservations.TIMEOUT, () -> "t".equals(source.queryString(
                "SELECT status = 'running' AND phase = 'data' AND rows_done > 0 FROM steep_repl.snapshot_progress('"
                        + run.snapshotId() + "')")) || RunObservations.FINAL.contains(source.queryString(
                "SELECT status FROM steep_repl.snapshots WHERE snapshot_id = '" + run.snapshotId() + "'")),
                "snapshot " + run.snapshotId() + " to copy data");

        Map<String, String> cancelled = row("SELECT * FROM steep_repl.cancel_snapshot(?)", run.snapshotId());
        assertThat(cancelled.get("status")).as("status returned by cancel_snapshot").isIn("running", "cancelled");
        Map<String, String> end = waitSnapshot(run.snapshotId());

        assertThat(end.get("status")).as(end.get("error_message")).isEqualTo("cancelled");
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        assertThat(dir.resolve("manifest.json.tmp")).doesNotExist();
        assertThat(row("SELECT * FROM steep_repl.snapshot_progress(?)", run.snapshotId()).get("status"))
                .isEqualTo("cancelled");
    }

    @Test
    void theSqlApiAndTheCliWriteTheSameSnapshotOfTheSameData() throws Exception {
        Path viaSql = root.resolve("via-sql");
        Path viaCli = root.resolve("via-cli");
        Started run = startSnapshot(viaSql, "zstd:3", 2, "{\"node_id\": \"node-a\"}");
        assertThat(waitSnapshot(run.snapshotId()).get("status")).isEqualTo("complete");
        CliDriver.Result cli = cli(source, "snapshot", "generate", "node-a", "--output", viaCli.toString(),
                "--compression", "zstd:3", "--parallel", "2", "--json");
        assertThat(cli.exitCode()).as(cli.output()).isZero();

        JsonNode sqlManifest = JSON.readTree(viaSql.resolve("manifest.json").toFile());
        JsonNode cliManifest = JSON.readTree(viaCli.resolve("manifest.json").toFile());
        assertThat(cliManifest.path("snapshot_id").asText()).isNotEqualTo(sqlManifest.path("snapshot_id").asText());
        Map<String, String> sqlParts = dataPartHashes(sqlManifest);
        assertThat(sqlParts).hasSizeGreaterThan(LOAD_TABLES);
        assertThat(dataPartHashes(cliManifest)).as("checksum of every data part").isEqualTo(sqlParts);
        for (String file : List.of("schema/pre-data.sql", "schema/post-data.sql")) {
            assertThat(withoutRestrictKey(viaCli.resolve(file))).as(file).isEqualTo(withoutRestrictKey(viaSql.resolve(file)));
        }
        assertThat(withoutRunIdentity(cliManifest)).isEqualTo(withoutRunIdentity(sqlManifest));
    }

    @Test
    void theCliAppliesASnapshotIntoASecondClusterWithTheSameData() throws Exception {
        Path dir = root.resolve("for-apply");
        CliDriver.Result generated = cli(source, "snapshot", "generate", "node-a", "--output", dir.toString(),
                "--compression", "lz4", "--parallel", "2", "--json");
        assertThat(generated.exitCode()).as(generated.output()).isZero();

        CliDriver.Result applied = cli(target, "snapshot", "apply", "node-b", "--input", dir.toString(),
                "--parallel", "2", "--json");

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        List<String> lines = applied.stdout().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.path("snapshot").path("status").asText()).isEqualTo("complete");
        assertThat(last.path("snapshot").path("op").asText()).isEqualTo("apply");
        Map<String, String> expected = ApplySupport.digests(source, "postgres");
        assertThat(expected).hasSizeGreaterThan(LOAD_TABLES);
        assertThat(ApplySupport.digests(target, "postgres")).isEqualTo(expected);
        assertThat(ApplySupport.sequences(target, "postgres")).isEqualTo(ApplySupport.sequences(source, "postgres"));
    }

    /** What start_snapshot returned. */
    private record Started(String snapshotId, String status, long jobId) {
    }

    private static Started startSnapshot(Path dir, String compression, int parallel) throws SQLException {
        return startSnapshot(dir, compression, parallel, "{}");
    }

    /** Calls start_snapshot in its own session and closes that session before returning. */
    private static Started startSnapshot(Path dir, String compression, int parallel, String options)
            throws SQLException {
        try (Connection c = source.connect();
                PreparedStatement ps = c.prepareStatement("SELECT snapshot_id, status, job_id "
                        + "FROM steep_repl.start_snapshot(?, ?, ?, ?::jsonb)")) {
            ps.setString(1, dir.toString());
            ps.setString(2, compression);
            ps.setInt(3, parallel);
            ps.setString(4, options);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Started(rs.getString(1), rs.getString(2), rs.getLong(3));
            }
        }
    }

    private static Map<String, String> waitSnapshot(String snapshotId) throws SQLException {
        return row("SELECT * FROM steep_repl.wait_snapshot(?, '180 s')", snapshotId);
    }

    /** The one row of a query on the source with one text parameter, by column name, in a new session. */
    private static Map<String, String> row(String sql, String parameter) throws SQLException {
        try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row from " + sql).isTrue();
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                return row;
            }
        }
    }

    private CliDriver.Result cli(PgCluster cluster, String... args) {
        return new CliDriver(home).runOn(cluster, args);
    }

    /** Data file name to its recorded checksum, over every part of every table. */
    private static Map<String, String> dataPartHashes(JsonNode manifest) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (JsonNode table : manifest.path("tables")) {
            for (JsonNode part : table.path("parts")) {
                hashes.put(part.path("file").asText(), part.path("checksum").asText());
            }
        }
        return hashes;
    }

    /**
     * The manifest with what names one run rather than the data blanked: ids, times, snapshot
     * point, node, and the schema files' checksums, since pg_dump puts a random key into every
     * dump ({@code \restrict <key>}); their content is compared without it.
     */
    private static JsonNode withoutRunIdentity(JsonNode manifest) {
        ObjectNode copy = manifest.deepCopy();
        for (String section : List.of("pre_data", "post_data")) {
            ((ObjectNode) copy.path("schema").path(section)).put("checksum", "-");
        }
        copy.put("snapshot_id", "-");
        copy.put("created_at", "-");
        copy.put("completed_at", "-");
        ((ObjectNode) copy.path("source")).put("node_id", "-");
        ObjectNode consistency = (ObjectNode) copy.path("consistency");
        consistency.put("exported_snapshot", "-");
        consistency.put("lsn", "-");
        return copy;
    }

    /** A pg_dump script without the psql restrict and unrestrict meta-commands, which carry a random key. */
    private static List<String> withoutRestrictKey(Path script) throws IOException {
        return Files.readAllLines(script).stream().filter(line -> !line.matches("\\\\(un)?restrict\\b.*")).toList();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
