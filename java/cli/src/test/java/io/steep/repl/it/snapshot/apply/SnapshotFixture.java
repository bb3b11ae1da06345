package io.steep.repl.it.snapshot.apply;

import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestWriter;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Writes a snapshot directory in the documented format straight from a source database, with
 * pg_dump for the schema and COPY for the data, so that apply can be tested on its own (the
 * round-trip tests use the real generate job). Tables with more pages than {@code splitPages}
 * are written as two CTID-range parts.
 */
final class SnapshotFixture {
    private SnapshotFixture() {
    }

    static Manifest write(PgCluster source, String database, Path dir, CompressionSpec compression, int splitPages)
            throws Exception {
        Files.createDirectories(dir.resolve(SnapshotLayout.SCHEMA_DIR));
        Files.createDirectories(dir.resolve(SnapshotLayout.DATA_DIR));
        Manifest.FileEntry pre = dump(source, database, dir, SnapshotLayout.PRE_DATA, "pre-data");
        Manifest.FileEntry post = dump(source, database, dir, SnapshotLayout.POST_DATA, "post-data");
        List<Manifest.TableEntry> tables = new ArrayList<>();
        List<Manifest.SequenceEntry> sequences = new ArrayList<>();
        try (Connection c = source.connect(database, PgCluster.SUPERUSER)) {
            List<List<String>> rels = rows(c, "SELECT n.nspname, c.relname, c.relpages, pn.nspname, p.relname "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "LEFT JOIN pg_class p ON p.oid = pg_partition_root(c.oid) AND c.relispartition "
                    + "LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace "
                    + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'steep_repl') "
                    + "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2");
            int number = 0;
            for (List<String> rel : rels) {
                number++;
                String qualified = quote(rel.get(0)) + "." + quote(rel.get(1));
                List<String> columns = rows(c, "SELECT attname FROM pg_attribute WHERE attrelid = '"
                        + qualified.replace("'", "''") + "'::regclass AND attnum > 0 AND NOT attisdropped "
                        + "AND attgenerated = '' ORDER BY attnum").stream().map(r -> r.get(0)).toList();
                int pages = Integer.parseInt(rel.get(2));
                List<String[]> ranges = pages > splitPages
                        ? List.of(new String[] {"(0,0)", "(" + pages / 2 + ",0)"}, new String[] {"(" + pages / 2 + ",0)", null})
                        : List.<String[]>of(new String[] {null, null});
                List<Manifest.PartEntry> parts = new ArrayList<>();
                long rows = 0;
                for (int p = 0; p < ranges.size(); p++) {
                    String file = SnapshotLayout.dataFile(number, p, compression.method());
                    Manifest.PartEntry part = copyOut(c, dir, file, qualified, columns, ranges.get(p), compression);
                    parts.add(part);
                    rows += part.rows();
                }
                Manifest.TableName parent = rel.get(4) == null ? null : new Manifest.TableName(rel.get(3), rel.get(4));
                tables.add(new Manifest.TableEntry(rel.get(0), rel.get(1), parent, columns, rows, parts));
            }
            for (List<String> seq : rows(c, "SELECT schemaname, sequencename, COALESCE(last_value, "
                    + "start_value), last_value IS NOT NULL FROM pg_sequences WHERE schemaname <> 'steep_repl'")) {
                sequences.add(new Manifest.SequenceEntry(seq.get(0), seq.get(1), Long.parseLong(seq.get(2)),
                        "t".equals(seq.get(3))));
            }
        }
        long rows = tables.stream().mapToLong(Manifest.TableEntry::rows).sum();
        long raw = tables.stream().flatMap(t -> t.parts().stream()).mapToLong(Manifest.PartEntry::rawBytes).sum();
        long bytes = tables.stream().flatMap(t -> t.parts().stream()).mapToLong(Manifest.PartEntry::bytes).sum();
        int partCount = tables.stream().mapToInt(t -> t.parts().size()).sum();
        String id = "snap_20260101_000000_" + HexFormat.of().toHexDigits((int) (Math.random() * Integer.MAX_VALUE));
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z",
                new Manifest.Source(null, database, "15", 150000, "1"),
                new Manifest.Consistency(null, "0/0", null), compression, new Manifest.Schema(pre, post),
                tables, sequences, new Manifest.Totals(tables.size(), partCount, rows, raw, bytes));
        ManifestWriter.write(dir, manifest);
        ApplySupport.makeReadableByServer(dir);
        return manifest;
    }

    private static Manifest.FileEntry dump(PgCluster source, String database, Path dir, String file, String section)
            throws IOException, InterruptedException {
        Path target = dir.resolve(file);
        Process p = new ProcessBuilder(List.of("pg_dump", "-h", source.socketDir().toString(), "-p",
                Integer.toString(source.port()), "-U", PgCluster.SUPERUSER, "--schema-only", "--section=" + section,
                "--exclude-schema=steep_repl", "-f", target.toString(), database)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed: " + out);
        }
        byte[] content = Files.readAllBytes(target);
        return new Manifest.FileEntry(file, content.length, ChecksumAlgorithm.DEFAULT,
                ChecksumAlgorithm.DEFAULT.of(content));
    }

    private static Manifest.PartEntry copyOut(Connection c, Path dir, String file, String qualified,
            List<String> columns, String[] range, CompressionSpec compression) throws Exception {
        String where = range[0] == null ? "" : " WHERE ctid >= '" + range[0] + "'::tid"
                + (range[1] == null ? "" : " AND ctid < '" + range[1] + "'::tid");
        String cols = columns.stream().map(SnapshotFixture::quote).collect(Collectors.joining(", "));
        String sql = "COPY (SELECT " + (cols.isEmpty() ? "" : cols) + " FROM ONLY " + qualified + where + ") TO STDOUT";
        long[] raw = {0};
        long rows;
        Path target = dir.resolve(file);
        try (OutputStream out = compression.compress(Files.newOutputStream(target))) {
            OutputStream counting = new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    raw[0] += len;
                    out.write(b, off, len);
                }
            };
            rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, counting);
        }
        return new Manifest.PartEntry(file, range[0], range[1], rows, raw[0], Files.size(target),
                ChecksumAlgorithm.DEFAULT, ChecksumAlgorithm.DEFAULT.ofFile(target));
    }

    private static List<List<String>> rows(Connection c, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
