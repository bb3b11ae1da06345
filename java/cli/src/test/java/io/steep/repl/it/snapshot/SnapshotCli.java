package io.steep.repl.it.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.cli.CliDriver;
import io.steep.repl.it.snapshot.apply.ApplySupport;
import io.steep.repl.testkit.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The snapshot commands of the CLI as the end-to-end snapshot tests run them (generate on
 * node-a, apply on node-b, two connections each), each asserting its exit code, and a
 * snapshot file's checksum computed with the JDK rather than with the code under test.
 */
public final class SnapshotCli {
    private SnapshotCli() {
    }

    /**
     * {@code snapshot generate} of {@code source} through the CLI into {@code dir} with two
     * connections, which must succeed; {@code options} are flag / value pairs, a pair whose
     * value is null left out (the flag's default).
     */
    public static void generate(PgCluster source, Path home, Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of("snapshot", "generate", "node-a", "--output", dir.toString(),
                "--parallel", "2"));
        for (int i = 0; i < options.length; i += 2) {
            if (options[i + 1] != null) {
                args.add(options[i]);
                args.add(options[i + 1]);
            }
        }
        CliDriver.Result generated = new CliDriver(home).runOn(source, args.toArray(String[]::new));
        assertThat(generated.exitCode()).as(generated.output()).isZero();
    }

    /**
     * {@code snapshot verify --rows} finds {@code dir} whole, and {@code snapshot apply} loads it
     * into {@code target} with every table's rows those of the source ({@code sourceDigests},
     * from {@link ApplySupport#digests}).
     */
    public static void verifiesAndAppliesAsTheSource(PgCluster target, Path home, Path dir,
            Map<String, String> sourceDigests) {
        CliDriver.Result verify = new CliDriver(home).run("snapshot", "verify", dir.toString(), "--rows");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.stdout()).startsWith("ok: ");
        apply(target, home, dir, 0);
        assertThat(ApplySupport.digests(target, "postgres")).isEqualTo(sourceDigests);
    }

    /** {@code snapshot apply} of {@code dir} into {@code target}, which must exit with {@code exitCode}. */
    public static CliDriver.Result apply(PgCluster target, Path home, Path dir, int exitCode) {
        CliDriver.Result applied = new CliDriver(home).runOn(target, "snapshot", "apply", "node-b", "--input",
                dir.toString(), "--parallel", "2");
        assertThat(applied.exitCode()).as(applied.output()).isEqualTo(exitCode);
        return applied;
    }

    /**
     * A start_snapshot option value the extension refuses: through SQL (22023 with
     * {@code sqlMessage}) and through the CLI flag (exit 2 with {@code cliMessage}), with no run
     * recorded, no job queued and no directory made either way.
     */
    public static void refusedBeforeAnyRun(PgCluster source, Path home, Path root, String option, String value,
            String flag, String sqlMessage, String cliMessage) throws SQLException {
        long runsBefore = source.queryLong("SELECT count(*) FROM steep_repl.snapshots");
        long jobsBefore = source.queryLong("SELECT count(*) FROM steep_repl.work_queue");
        try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM steep_repl.start_snapshot(?, 'none', 2, jsonb_build_object(?::text, ?::text))")) {
            ps.setString(1, root.resolve("refused-sql").toString());
            ps.setString(2, option);
            ps.setString(3, value);
            assertThatThrownBy(ps::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains(sqlMessage);
                    });
        }
        CliDriver.Result cli = new CliDriver(home).runOn(source, "snapshot",
                "generate", "node-a", "--output", root.resolve("refused-cli").toString(), flag, value);
        assertThat(cli.exitCode()).as(cli.output()).isEqualTo(2);
        assertThat(cli.stderr()).contains(cliMessage);
        assertThat(source.queryLong("SELECT count(*) FROM steep_repl.snapshots"))
                .isEqualTo(runsBefore);
        assertThat(source.queryLong("SELECT count(*) FROM steep_repl.work_queue"))
                .isEqualTo(jobsBefore);
        assertThat(root.resolve("refused-sql")).doesNotExist();
        assertThat(root.resolve("refused-cli")).doesNotExist();
    }

    /** The file's checksum in the manifest's notation ({@code crc32c} or {@code sha256}). */
    public static String checksum(String algorithm, Path file) throws Exception {
        byte[] content = Files.readAllBytes(file);
        if (algorithm.equals("crc32c")) {
            CRC32C crc = new CRC32C();
            crc.update(content);
            return String.format("%08x", crc.getValue());
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
