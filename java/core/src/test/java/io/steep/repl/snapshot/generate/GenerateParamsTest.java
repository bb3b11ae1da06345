package io.steep.repl.snapshot.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateParamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GenerateParams parse(String json) throws Exception {
        return GenerateParams.from(JSON.readTree(json));
    }

    @Test
    void readsTheParamsStartSnapshotQueues() throws Exception {
        GenerateParams p = parse("""
                {"snapshot_id": "snap_20261121_013000_ab12cd34", "path": "/srv/s", "parallel": 2,
                 "compression": {"method": "zstd", "level": 3},
                 "options": {"node_id": "a", "split_threshold_mb": 8, "exclude_schemas": ["audit"]}}""");

        assertThat(p.compression()).isEqualTo(new CompressionSpec(CompressionMethod.ZSTD, 3));
        assertThat(p.parallel()).isEqualTo(2);
        assertThat(p.nodeId()).isEqualTo("a");
        assertThat(p.splitThresholdBytes()).isEqualTo(8L << 20);
        assertThat(p.filter().includesSchema("audit")).isFalse();
    }

    @Test
    void defaultsAndTheTextFormOfCompression() throws Exception {
        GenerateParams p = parse("{\"snapshot_id\": \"s1\", \"path\": \"/x\", \"compression\": \"gzip:4\"}");

        assertThat(p.compression().toString()).isEqualTo("gzip:4");
        assertThat(p.parallel()).isEqualTo(GenerateParams.DEFAULT_PARALLEL);
        assertThat(p.splitThresholdBytes()).isEqualTo(256L << 20);
        assertThat(p.filter().isEmpty()).isTrue();
        assertThat(p.checksum()).isEqualTo(ChecksumAlgorithm.CRC32C);
    }

    @Test
    void theChecksumOptionChoosesTheAlgorithm() throws Exception {
        assertThat(parse("{\"snapshot_id\": \"s\", \"options\": {\"checksum\": \"sha256\"}}").checksum())
                .isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(parse("{\"snapshot_id\": \"s\", \"options\": {\"checksum\": \"crc32c\"}}").checksum())
                .isEqualTo(ChecksumAlgorithm.CRC32C);
        assertThatThrownBy(() -> parse("{\"snapshot_id\": \"s\", \"options\": {\"checksum\": \"md5\"}}"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("option checksum 'md5'");
                    assertThat(e.hint()).contains("crc32c, sha256");
                });
    }

    @Test
    void refusesBadValuesAsUsageErrors() {
        for (String json : List.of("{\"path\": \"/x\"}",
                "{\"snapshot_id\": \"s\", \"compression\": \"xz\"}",
                "{\"snapshot_id\": \"s\", \"compression\": {\"method\": \"zstd\", \"level\": 30}}",
                "{\"snapshot_id\": \"s\", \"parallel\": 0}",
                "{\"snapshot_id\": \"s\", \"options\": {\"include_tables\": \"t\"}}",
                "{\"snapshot_id\": \"s\", \"options\": {\"include_tables\": [\"a.b.c\"]}}")) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(SteepReplException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        }
    }

    @Test
    void theKeptSlotIsNamedByTheOptionOrAfterTheSnapshotId() throws Exception {
        assertThat(parse("{\"snapshot_id\": \"snap_20261121_013000_AB12cd34\", \"options\": {\"keep_slot\": true}}")
                .slotName()).isEqualTo("steep_snap_20261121_013000_ab12cd34");
        assertThat(parse("{\"snapshot_id\": \"s.1-x\", \"options\": {\"keep_slot\": true}}").slotName())
                .isEqualTo("steep_s_1_x");
        assertThat(parse("{\"snapshot_id\": \"s\", \"options\": {\"keep_slot\": true, \"slot_name\": \"sub_a\"}}")
                .slotName()).isEqualTo("sub_a");
        assertThat(parse("{\"snapshot_id\": \"s\", \"options\": {\"keep_slot\": false}}").slotName()).isNull();
        assertThat(GenerateParams.derivedSlotName("s".repeat(64))).hasSize(63);
    }

    @Test
    void refusesSlotNamesPostgresWouldRefuseAndANameWithoutKeepSlot() {
        for (String json : List.of("{\"snapshot_id\": \"s\", \"options\": {\"keep_slot\": true, \"slot_name\": \"Sub\"}}",
                "{\"snapshot_id\": \"s\", \"options\": {\"keep_slot\": true, \"slot_name\": \"\"}}",
                "{\"snapshot_id\": \"s\", \"options\": {\"keep_slot\": true, \"slot_name\": \"a-b\"}}",
                "{\"snapshot_id\": \"s\", \"options\": {\"slot_name\": \"sub_a\"}}")) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(SteepReplException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        }
    }

    @Test
    void tableNamesMayBeQuotedAndMatchPartitionsThroughTheirRoot() {
        assertThat(TableFilter.parse("\"my.schema\".\"Or\"\"ders\"")).isEqualTo(new TableFilter.Pattern("my.schema", "Or\"ders"));
        TableFilter filter = new TableFilter(List.of(), List.of(), TableFilter.parseAll(List.of("public.measurements")),
                TableFilter.parseAll(List.of("m2025")));
        TableName root = new TableName("public", "measurements");
        assertThat(filter.includes(new TableName("part", "m2026"), root)).isTrue();
        assertThat(filter.includes(new TableName("public", "m2025"), root)).isFalse();
        assertThat(filter.includes(new TableName("public", "other"), null)).isFalse();
    }

    @Test
    void largeTablesAreSplitIntoChunkRangesEndingOpen() {
        List<SnapshotPlan.Part> parts = SnapshotPlanner.split(3, 10 * 8192, 8192, 4 * 8192, 2 * 8192);

        assertThat(parts).extracting(p -> p.ctidFrom() + "-" + p.ctidTo())
                .containsExactly("(0,0)-(2,0)", "(2,0)-(4,0)", "(4,0)-(6,0)", "(6,0)-(8,0)", "(8,0)-null");
        assertThat(parts).extracting(SnapshotPlan.Part::part).containsExactly(0, 1, 2, 3, 4);
        assertThat(SnapshotPlanner.split(3, 4 * 8192, 8192, 4 * 8192, 2 * 8192)).singleElement()
                .satisfies(p -> assertThat(p.isSplit()).isFalse());
    }

    @Test
    void chunksAreHalfTheThresholdUnlessTheRunIsSmallForItsConnections() {
        long mb = 1L << 20;
        assertThat(SnapshotPlanner.chunkBytes(100_000 * mb, 4, 256 * mb)).isEqualTo(128 * mb);
        assertThat(SnapshotPlanner.chunkBytes(800 * mb, 2, 256 * mb)).isEqualTo(50 * mb);
        assertThat(SnapshotPlanner.chunkBytes(100 * mb, 2, 256 * mb)).isEqualTo(16 * mb);
        assertThat(SnapshotPlanner.chunkBytes(100 * mb, 2, 1 * mb)).isEqualTo(mb / 2);
    }

    @Test
    void copyStatementsQuoteEveryName() {
        SnapshotPlan.Table table = new SnapshotPlan.Table(1, new TableName("Mixed \"S\"", "t"), null,
                List.of("a", "B b"), 0, List.of(), DataFormat.TEXT, List.of("pg_catalog.int4", "pg_catalog.text"));
        assertThat(PartWriter.copySql(table, new SnapshotPlan.Part(1, 0, null, null, 0)))
                .isEqualTo("COPY \"Mixed \"\"S\"\"\".\"t\" (\"a\", \"B b\") TO STDOUT");
        assertThat(PartWriter.copySql(table, new SnapshotPlan.Part(1, 1, "(4,0)", null, 0)))
                .isEqualTo("COPY (SELECT \"a\", \"B b\" FROM ONLY \"Mixed \"\"S\"\"\".\"t\" "
                        + "WHERE ctid >= E'(4,0)'::pg_catalog.tid) TO STDOUT");
        // Bounds are literals: text that got past every check still cannot end the statement.
        assertThat(PartWriter.copySql(table, new SnapshotPlan.Part(1, 1, "(0,0)", "(1,0)'::tid) TO '/tmp/x' --", 0)))
                .endsWith("AND ctid < E'(1,0)''::tid) TO ''/tmp/x'' --'::pg_catalog.tid) TO STDOUT");
    }

    @Test
    void binaryTablesAreCopiedInCopysBinaryFormat() {
        SnapshotPlan.Table table = new SnapshotPlan.Table(1, new TableName("s", "t"), null, List.of("a"), 0,
                List.of(), DataFormat.BINARY, List.of("pg_catalog.int4"));
        assertThat(PartWriter.copySql(table, new SnapshotPlan.Part(1, 0, null, null, 0), "'/d/x'"))
                .isEqualTo("COPY \"s\".\"t\" (\"a\") TO '/d/x' (FORMAT binary)");
        assertThat(PartWriter.copySql(table, new SnapshotPlan.Part(1, 1, "(4,0)", null, 0)))
                .isEqualTo("COPY (SELECT \"a\" FROM ONLY \"s\".\"t\" WHERE ctid >= E'(4,0)'::pg_catalog.tid) "
                        + "TO STDOUT (FORMAT binary)");
    }

    @Test
    void theDataFormatIsBinaryWithoutCompressionAndTextWithItUnlessAsked() throws Exception {
        assertThat(parse("{\"snapshot_id\": \"s\", \"compression\": \"none\"}").dataFormat())
                .isEqualTo(DataFormat.BINARY);
        assertThat(parse("{\"snapshot_id\": \"s\"}").dataFormat()).isEqualTo(DataFormat.BINARY);
        assertThat(parse("{\"snapshot_id\": \"s\", \"compression\": \"zstd\"}").dataFormat())
                .isEqualTo(DataFormat.TEXT);
        assertThat(parse("{\"snapshot_id\": \"s\", \"compression\": \"none\", "
                + "\"options\": {\"data_format\": \"text\"}}").dataFormat()).isEqualTo(DataFormat.TEXT);
        assertThat(parse("{\"snapshot_id\": \"s\", \"compression\": \"lz4\", "
                + "\"options\": {\"data_format\": \"binary\"}}").dataFormat()).isEqualTo(DataFormat.BINARY);
        assertThatThrownBy(() -> parse("{\"snapshot_id\": \"s\", \"options\": {\"data_format\": \"csv\"}}"))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("option data_format 'csv'");
                    assertThat(e.hint()).contains("text, binary");
                });
    }
}
