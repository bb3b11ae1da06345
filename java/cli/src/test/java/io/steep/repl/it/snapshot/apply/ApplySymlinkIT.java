package io.steep.repl.it.snapshot.apply;

import static io.steep.repl.it.snapshot.apply.ApplySupport.awaitFinal;
import static io.steep.repl.it.snapshot.apply.ApplySupport.job;
import static io.steep.repl.it.snapshot.apply.ApplySupport.submitApply;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot directory whose files were replaced by symlinks to what only the server's OS user
 * may read: the worker runs as that user, so following the link would hand the file to a role
 * that may not read it (docs/security.md). Every such apply fails before any change, and its
 * error never quotes the file. And a schema script crafted to run a psql command, which would
 * run as that OS user, is refused before psql starts.
 */
class ApplySymlinkIT {
    /** The one data file of the one table. */
    private static final String DATA_FILE = SnapshotLayout.dataFile(1, 0, CompressionMethod.NONE);
    private static final String SECRET = "TOPSECRET only the server's OS user may read this";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PgCluster cluster;
    private static Path work;
    private static Path vault;
    private static Path secret;

    @BeforeAll
    static void start() throws Exception {
        cluster = ApplySupport.startCluster("apply-links");
        // The snapshot's source is another database of the same cluster: one row, one line.
        cluster.createDatabase("src");
        cluster.execIn("src", "CREATE TABLE public.t (v text)", "INSERT INTO public.t VALUES ('snapshot row')");
        // A source whose table the target lacks: applying it builds the schema with psql.
        cluster.createDatabase("src_new");
        cluster.execIn("src_new", "CREATE TABLE public.fresh (v text)", "INSERT INTO public.fresh VALUES ('x')");
        cluster.exec("CREATE TABLE public.t (v text)",
                "CREATE ROLE mallory LOGIN",
                "GRANT SELECT, INSERT, TRUNCATE ON public.t TO mallory",
                "CREATE ROLE reader LOGIN IN ROLE pg_read_server_files",
                "GRANT SELECT, INSERT, TRUNCATE ON public.t TO reader");
        work = cluster.serverDirectory("snapshots");
        // mallory may read snapshots only under steep_repl.snapshot_dir
        cluster.set("steep_repl.snapshot_dir", work.toString());
        vault = cluster.serverDirectory("vault");
        secret = Files.writeString(vault.resolve("secret"), SECRET + "\n");
        PgCluster.giveToServer(vault);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterAll
    static void stop() {
        PgCluster.closeAll(cluster);
    }

    @BeforeEach
    void emptyTarget() {
        cluster.exec("TRUNCATE public.t", "DELETE FROM steep_repl.snapshot_loads");
    }

    @Test
    void anIntactSnapshotLoadsForTheRole() throws Exception {
        Path dir = snapshot("intact");

        long id = submitApply(cluster, "mallory", dir, 1, false, false, 1);

        assertThat(awaitFinal(cluster, id)).as(job(cluster, id, "error_message")).isEqualTo("complete");
        assertThat(cluster.queryString("SELECT string_agg(v, ',') FROM public.t")).isEqualTo("snapshot row");
    }

    @Test
    void aDataFileLinkedToAServerOnlyFileIsNeverLoaded() throws Exception {
        Path dir = linkedSnapshot("part-link", DATA_FILE, secret);

        // Without verify nothing compares checksums: only the link check stands in the way.
        refused("mallory", dir, false, "is a symbolic link");
        refused("mallory", dir, true, "not a regular file");
        // A role that may read server files has the server read the file itself: checked all the same.
        refused("reader", dir, false, "is a symbolic link");
    }

    @Test
    void aLinkedManifestOrSchemaScriptIsNeverRead() throws Exception {
        refused("mallory", linkedSnapshot("manifest-link", SnapshotLayout.MANIFEST, null), false,
                "manifest.json: it is a symbolic link");

        Path scriptLinked = linkedSnapshot("script-link", SnapshotLayout.PRE_DATA, secret);
        refused("mallory", scriptLinked, true, "schema/pre-data.sql: not a regular file");
        refused("mallory", scriptLinked, false, "schema/pre-data.sql cannot be used: it is a symbolic link");
    }

    @Test
    void aLinkedDirectoryOnTheWayIsNeverFollowed() throws Exception {
        Path dir = linkedSnapshot("dir-link", SnapshotLayout.DATA_DIR, null);

        refused("mallory", dir, false, "a directory on its path is a symbolic link");
        refused("mallory", dir, true, "a directory on its path is a symbolic link");
    }

    /**
     * mallory may write into steep_repl.snapshot_dir, and so can make pre-data.sql (and the
     * manifest entry that vouches for it) say anything: psql runs it as her, but a psql command
     * such as {@code \!} would run as the server's OS user. It never reaches psql.
     */
    @Test
    void aSchemaScriptWithAPsqlCommandIsRefusedBeforePsqlRuns() throws Exception {
        Path marker = work.resolve("shell-ran");
        Path dir = work.resolve("crafted");
        SnapshotFixture.write(cluster, "src_new", dir, CompressionSpec.NONE, 1000);
        Path preData = dir.resolve(SnapshotLayout.PRE_DATA);
        byte[] crafted = ("\\! touch " + marker + "\n" + Files.readString(preData)).getBytes(StandardCharsets.UTF_8);
        Files.write(preData, crafted);
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve(SnapshotLayout.MANIFEST).toFile());
        ObjectNode entry = (ObjectNode) manifest.path("schema").path("pre_data");
        entry.put("bytes", crafted.length);
        entry.put("checksum", ChecksumAlgorithm.byId(entry.path("checksum_algorithm").asText()).of(crafted));
        JSON.writeValue(dir.resolve(SnapshotLayout.MANIFEST).toFile(), manifest);

        refused("mallory", dir, true, "pre-data.sql contains the psql command '\\! touch");
        refused("mallory", dir, false, "pre-data.sql contains the psql command '\\! touch");
        assertThat(marker).doesNotExist();
        assertThat(cluster.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'fresh'")).isZero();
    }

    @Test
    void snapshotVerifyReportsTheLinks(@TempDir Path home) throws Exception {
        Path dir = linkedSnapshot("verify-link", DATA_FILE, secret);

        CliDriver.Result result = new CliDriver(home).run("snapshot", "verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains(DATA_FILE + ": not a regular file (it is a symbolic link")
                .doesNotContain("TOPSECRET");
    }

    /** The apply fails naming {@code expected}, the table stays empty and the secret stays secret. */
    private static void refused(String role, Path dir, boolean verify, String expected) throws Exception {
        long id = submitApply(cluster, role, dir, 1, verify, false, 1);

        assertThat(awaitFinal(cluster, id)).as(role + " verify=" + verify).isEqualTo("failed");
        String error = job(cluster, id, "error_message");
        assertThat(error).as(role + " verify=" + verify).contains(expected).doesNotContain("TOPSECRET");
        assertThat(cluster.queryLong("SELECT count(*) FROM public.t")).as(role + " verify=" + verify).isZero();
        assertThat(cluster.log()).doesNotContain("TOPSECRET");
    }

    private static Path snapshot(String name) throws Exception {
        Path dir = work.resolve(name);
        SnapshotFixture.write(cluster, "src", dir, CompressionSpec.NONE, 1000);
        return dir;
    }

    /**
     * A fresh snapshot whose {@code file} is a link to {@code target}; with no target, to the
     * file (or directory) itself, moved into the vault.
     */
    private static Path linkedSnapshot(String name, String file, Path target) throws Exception {
        Path dir = snapshot(name);
        Path to = target != null ? target : hide(dir.resolve(file), name);
        Files.deleteIfExists(dir.resolve(file));
        Files.createSymbolicLink(dir.resolve(file), to);
        return dir;
    }

    /** Moves a file or directory into the vault, where only the server's OS user may read it. */
    private static Path hide(Path source, String name) throws IOException {
        Path hidden = vault.resolve(name);
        Files.move(source, hidden, StandardCopyOption.ATOMIC_MOVE);
        return hidden;
    }
}
