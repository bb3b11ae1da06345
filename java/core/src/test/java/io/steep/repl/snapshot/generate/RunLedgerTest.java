package io.steep.repl.snapshot.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLedgerTest {
    private static final Manifest.TableName T = new Manifest.TableName("public", "t");

    /** One table in three CTID ranges, as the planner would cut it today. */
    private static SnapshotPlan plan(String... bounds) {
        return plan(DataFormat.TEXT, bounds);
    }

    private static SnapshotPlan plan(DataFormat format, String... bounds) {
        List<SnapshotPlan.Part> parts = List.of(
                new SnapshotPlan.Part(1, 0, "(0,0)", bounds[0], 10),
                new SnapshotPlan.Part(1, 1, bounds[0], bounds[1], 10),
                new SnapshotPlan.Part(1, 2, bounds[1], null, 10));
        return new SnapshotPlan(List.of(new SnapshotPlan.Table(1, T, null, List.of("id"), 30, parts, format,
                List.of("pg_catalog.int4"))),
                List.of(), List.of());
    }

    private static Manifest.PartEntry write(Path dir, int part, String text) throws Exception {
        return write(dir, part, text, ChecksumAlgorithm.DEFAULT);
    }

    private static Manifest.PartEntry write(Path dir, int part, String text, ChecksumAlgorithm algorithm)
            throws Exception {
        String file = SnapshotLayout.dataFile(1, part, CompressionMethod.NONE);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Manifest.PartEntry(file, null, null, 1, bytes.length, bytes.length, algorithm,
                algorithm.of(bytes));
    }

    @Test
    void aRetryGetsThePlanOfTheFirstAttemptAndItsIntactParts(@TempDir Path dir) throws Exception {
        RunLedger ledger = RunLedger.start(dir, "00000003-0000001B-1", "0/16B3748", null, plan("(5,0)", "(9,0)"));
        ledger.partDone(1, 0, write(dir, 0, "1\n"));
        ledger.partDone(1, 2, write(dir, 2, "3\n"));
        ledger.close();
        // a part whose file changed since is copied again
        Files.writeString(dir.resolve(SnapshotLayout.dataFile(1, 2, CompressionMethod.NONE)), "x\n");
        // a line cut short by a killed worker is ignored
        Files.writeString(dir.resolve(RunLedger.FILE), "{\"table\":1,\"par", StandardOpenOption.APPEND);

        // Same snapshot, but the table grew meanwhile, so today's planner would cut it elsewhere.
        RunLedger.Resumed resumed = RunLedger.resume(dir, "00000003-0000001B-1", plan("(7,0)", "(12,0)"),
                CompressionMethod.NONE);

        assertThat(resumed.plan().tables().get(0).parts()).extracting(SnapshotPlan.Part::ctidTo)
                .containsExactly("(5,0)", "(9,0)", null);
        assertThat(resumed.parts().get(1)).containsOnlyKeys(0);
        assertThat(resumed.count()).isEqualTo(1);
        assertThat(RunLedger.header(dir).lsn()).isEqualTo("0/16B3748");
    }

    @Test
    void partsWrittenInAnotherDataFormatAreNotReused(@TempDir Path dir) throws Exception {
        String snapshot = "00000003-0000001B-1";
        RunLedger ledger = RunLedger.start(dir, snapshot, "0/1", null, plan(DataFormat.BINARY, "(5,0)", "(9,0)"));
        ledger.partDone(1, 0, write(dir, 0, "1\n"));
        ledger.close();

        assertThat(RunLedger.resume(dir, snapshot, plan(DataFormat.TEXT, "(5,0)", "(9,0)"), CompressionMethod.NONE))
                .isNull();
        RunLedger.Resumed resumed = RunLedger.resume(dir, snapshot, plan(DataFormat.BINARY, "(5,0)", "(9,0)"),
                CompressionMethod.NONE);
        assertThat(resumed.count()).isEqualTo(1);
        assertThat(resumed.plan().tables().get(0).dataFormat()).isEqualTo(DataFormat.BINARY);

        // The ledger of a run before tables had a choice of format: its parts are text.
        Files.writeString(dir.resolve(RunLedger.FILE),
                Files.readString(dir.resolve(RunLedger.FILE)).replace("\"data_format\":\"binary\",", ""));
        assertThat(RunLedger.resume(dir, snapshot, plan(DataFormat.BINARY, "(5,0)", "(9,0)"), CompressionMethod.NONE))
                .isNull();
        assertThat(RunLedger.resume(dir, snapshot, plan(DataFormat.TEXT, "(5,0)", "(9,0)"), CompressionMethod.NONE)
                .count()).isEqualTo(1);
    }

    @Test
    void nothingIsReusedUnderAnotherSnapshotOrWithoutAReadableLedger(@TempDir Path dir) throws Exception {
        assertThat(RunLedger.resume(dir, "00000003-0000001B-1", plan("(5,0)", "(9,0)"), CompressionMethod.NONE))
                .isNull();
        RunLedger ledger = RunLedger.start(dir, "00000003-0000001B-1", "0/1", null, plan("(5,0)", "(9,0)"));
        ledger.partDone(1, 0, write(dir, 0, "1\n"));
        ledger.close();

        assertThat(RunLedger.resume(dir, "00000004-0000002C-1", plan("(5,0)", "(9,0)"), CompressionMethod.NONE))
                .isNull();
        assertThat(RunLedger.resume(dir, "00000003-0000001B-1", plan("(5,0)", "(9,0)"), CompressionMethod.ZSTD))
                .satisfies(r -> assertThat(r.count()).isZero());
        Files.writeString(dir.resolve(RunLedger.FILE), "not json\n");
        assertThat(RunLedger.resume(dir, "00000003-0000001B-1", plan("(5,0)", "(9,0)"), CompressionMethod.NONE))
                .isNull();
    }

    @Test
    void aLedgerWithAnythingButCtidNumbersIsForeignAndNothingOfItIsUsed(@TempDir Path dir) throws Exception {
        String snapshot = "00000003-0000001B-1";
        RunLedger.start(dir, snapshot, "0/1", null, plan("(5,0)", "(9,0)")).close();
        String good = Files.readString(dir.resolve(RunLedger.FILE));
        assertThat(RunLedger.resume(dir, snapshot, plan("(5,0)", "(9,0)"), CompressionMethod.NONE)).isNotNull();

        for (String payload : List.of("(9,0)'::tid) TO PROGRAM 'touch /tmp/pwned' --",
                "(9,0)'; ALTER ROLE mallory SUPERUSER; --", "(9,0) ", "(-1,0)", "(4294967296,0)", "(9,65536)",
                "(9,0,1)", "9")) {
            Files.writeString(dir.resolve(RunLedger.FILE), good.replace("\"(9,0)\"",
                    JSON_STRING.apply(payload)));
            assertThat(RunLedger.resume(dir, snapshot, plan("(5,0)", "(9,0)"), CompressionMethod.NONE))
                    .as(payload).isNull();
            assertThat(RunLedger.header(dir)).as(payload).isNull();
        }
        Files.writeString(dir.resolve(RunLedger.FILE), good.replace("\"0/1\"", "\"0/1'; SELECT 1\""));
        assertThat(RunLedger.header(dir)).isNull();
        // Bounds are written again from their numbers.
        Files.writeString(dir.resolve(RunLedger.FILE), good.replace("\"(9,0)\"", "\"(0009,00)\""));
        assertThat(RunLedger.header(dir).tables().get(0).parts()).extracting(RunLedger.PlannedPart::ctidFrom)
                .containsExactly("(0,0)", "(5,0)", "(9,0)");
    }

    @Test
    void eachPartIsCheckedByTheAlgorithmItsLineNames(@TempDir Path dir) throws Exception {
        String snapshot = "00000003-0000001B-1";
        RunLedger ledger = RunLedger.start(dir, snapshot, "0/1", null, plan("(5,0)", "(9,0)"));
        ledger.partDone(1, 0, write(dir, 0, "1\n", ChecksumAlgorithm.SHA256));
        ledger.partDone(1, 1, write(dir, 1, "2\n", ChecksumAlgorithm.CRC32C));
        ledger.partDone(1, 2, write(dir, 2, "3\n", ChecksumAlgorithm.SHA256));
        ledger.close();
        // the same size, another byte: caught by the SHA-256 the line names
        Files.writeString(dir.resolve(SnapshotLayout.dataFile(1, 2, CompressionMethod.NONE)), "4\n");

        RunLedger.Resumed resumed = RunLedger.resume(dir, snapshot, plan("(5,0)", "(9,0)"), CompressionMethod.NONE);

        assertThat(resumed.parts().get(1)).containsOnlyKeys(0, 1);
        assertThat(resumed.parts().get(1).get(0).checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(resumed.parts().get(1).get(1).checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32C);

        // A line an earlier version wrote ("sha256", no algorithm) is not trusted: the part is copied again.
        String lines = Files.readString(dir.resolve(RunLedger.FILE));
        Files.writeString(dir.resolve(RunLedger.FILE), lines.replace("\"checksum_algorithm\":\"sha256\",\"checksum\"",
                "\"sha256\""));
        assertThat(RunLedger.resume(dir, snapshot, plan("(5,0)", "(9,0)"), CompressionMethod.NONE).parts().get(1))
                .containsOnlyKeys(1);
    }

    @Test
    void aLedgerOrPartFileBehindASymlinkIsNotRead(@TempDir Path dir) throws Exception {
        String snapshot = "00000003-0000001B-1";
        RunLedger ledger = RunLedger.start(dir, snapshot, "0/1", null, plan("(5,0)", "(9,0)"));
        Manifest.PartEntry entry = write(dir, 0, "1\n");
        ledger.partDone(1, 0, entry);
        ledger.close();
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path part = dir.resolve(entry.file());
        Files.move(part, elsewhere.resolve("part"));
        Files.createSymbolicLink(part, elsewhere.resolve("part"));

        assertThat(RunLedger.resume(dir, snapshot, plan("(5,0)", "(9,0)"), CompressionMethod.NONE).count()).isZero();

        Files.move(dir.resolve(RunLedger.FILE), elsewhere.resolve("ledger"));
        Files.createSymbolicLink(dir.resolve(RunLedger.FILE), elsewhere.resolve("ledger"));
        assertThat(RunLedger.header(dir)).isNull();
    }

    private static final java.util.function.Function<String, String> JSON_STRING = text -> {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    };
}
