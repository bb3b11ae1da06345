package io.steep.repl.it.snapshot.generate;

import static io.steep.repl.it.snapshot.generate.GenerateSupport.awaitFinal;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.column;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.newSnapshotId;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.params;
import static io.steep.repl.it.snapshot.generate.GenerateSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs that must not write anything: missing privileges, an occupied directory, a symlink escape. */
class GenerateRefusalIT {
    private static PgCluster cluster;
    private static Path root;

    @BeforeAll
    static void start() {
        cluster = GenerateSupport.startCluster("gen-refuse");
        root = GenerateSupport.snapshotRoot(cluster);
        cluster.exec("CREATE ROLE nofiles LOGIN",
                "CREATE ROLE writer LOGIN IN ROLE pg_write_server_files",
                "CREATE TABLE public.open_data (id int)",
                "INSERT INTO public.open_data VALUES (1)",
                "CREATE TABLE public.secret (id int)",
                "GRANT SELECT ON public.open_data TO nofiles, writer");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aRoleWithoutFileWritePrivilegeIsRefusedWhenItQueuesTheJob() {
        Path dir = root.resolve("nofiles");
        long before = cluster.queryLong("SELECT count(*) FROM steep_repl.work_queue");

        // Queued by hand, not through start_snapshot: the work_queue trigger applies the path rule.
        assertThatThrownBy(() -> submit(cluster, "nofiles", params(newSnapshotId(), dir, "none", 1), 1))
                .hasMessageContaining("permission denied to write snapshot files").hasMessageContaining(
                        "pg_write_server_files");

        assertThat(cluster.queryLong("SELECT count(*) FROM steep_repl.work_queue")).isEqualTo(before);
        assertThat(dir).doesNotExist();
    }

    @Test
    void aRoleWithoutSelectOnATableIsRefusedNamingIt() {
        Path dir = root.resolve("noselect");

        String error = fail("writer", params(newSnapshotId(), dir, "none", 1));

        assertThat(error).contains("lacks SELECT on table public.secret").doesNotContain("open_data");
        assertThat(dir).doesNotExist();
    }

    @Test
    void theRoleCanGenerateWhatItMaySee() {
        Path dir = root.resolve("writer-ok");
        var params = params(newSnapshotId(), dir, "none", 1);
        params.withObjectProperty("options").putArray("exclude_tables").add("public.secret");

        GenerateSupport.generate(cluster, "writer", params);

        assertThat(dir.resolve("manifest.json")).exists();
    }

    @Test
    void aNonEmptyDirectoryIsRefusedAndLeftAlone() throws IOException {
        Path dir = Files.createDirectories(root.resolve("occupied"));
        Files.writeString(dir.resolve("notes.txt"), "keep me");

        String error = fail("postgres", params(newSnapshotId(), dir, "none", 1));

        assertThat(error).contains("output directory " + dir + " is not empty");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aSymlinkOutOfTheSnapshotDirectoryDoesNotGrantAccess() throws IOException {
        Path inside = Files.createDirectories(root.resolve("granted"));
        cluster.set("steep_repl.snapshot_dir", inside.toString());
        Path outside = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(inside.resolve("escape"), outside);
        try {
            String error = fail("nofiles", params(newSnapshotId(), inside.resolve("escape").resolve("snap"), "none", 1));

            assertThat(error).contains("may not write server files", outside.resolve("snap").toString());
            assertThat(outside.resolve("snap")).doesNotExist();
        } finally {
            cluster.exec("ALTER SYSTEM RESET steep_repl.snapshot_dir", "SELECT pg_reload_conf()");
        }
    }

    @Test
    void includeOptionsThatMatchNoTableAreRefusedBeforeAnythingIsWritten() {
        Path dir = root.resolve("nomatch");
        var params = params(newSnapshotId(), dir, "none", 1);
        params.withObjectProperty("options").putArray("include_tables").add("public.no_such_table");

        String error = fail("writer", params);

        assertThat(error).contains("the include options match no table", "public.no_such_table");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aRunThatFailsMidwayLeavesNothingAndARetryIntoTheSamePathCompletes() throws IOException {
        // A role with no file privilege at all, writing under steep_repl.snapshot_dir: it could not
        // remove anything the failed run left.
        Path open = Files.createDirectories(root.resolve("open"));
        PgCluster.giveToServer(open);
        cluster.set("steep_repl.snapshot_dir", open.toString());
        cluster.exec("CREATE TABLE public.fragile (id int)",
                "INSERT INTO public.fragile SELECT g FROM generate_series(1, 1000) g",
                "GRANT SELECT ON public.fragile TO nofiles",
                "ALTER TABLE public.fragile ENABLE ROW LEVEL SECURITY",
                // nofiles reads the rows through this policy: the copy fails at the row with id 500
                "CREATE POLICY fragile ON public.fragile USING (1 / (id - 500) IS NOT NULL)");
        Path dir = open.resolve("snap");
        try {
            String error = fail("nofiles", fragile(newSnapshotId(), dir));

            assertThat(error).contains("division by zero");
            assertThat(dir).doesNotExist();

            cluster.exec("ALTER TABLE public.fragile DISABLE ROW LEVEL SECURITY");
            GenerateSupport.generate(cluster, "nofiles", fragile(newSnapshotId(), dir));
            assertThat(io.steep.repl.snapshot.manifest.ManifestReader.read(dir).tables())
                    .singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(1000));
        } finally {
            cluster.exec("DROP TABLE public.fragile", "ALTER SYSTEM RESET steep_repl.snapshot_dir",
                    "SELECT pg_reload_conf()");
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode fragile(String snapshotId, Path dir) {
        var params = params(snapshotId, dir, "zstd", 1);
        params.withObjectProperty("options").putArray("include_tables").add("public.fragile");
        return params;
    }

    private static String fail(String role, com.fasterxml.jackson.databind.JsonNode params) {
        long job = submit(cluster, role, params, 1);
        assertThat(awaitFinal(cluster, job)).isEqualTo("failed");
        assertThat(column(cluster, job, "result")).isNull();
        return column(cluster, job, "error_message");
    }
}
