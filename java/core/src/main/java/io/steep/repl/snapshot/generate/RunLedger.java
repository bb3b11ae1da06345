package io.steep.repl.snapshot.generate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.SnapshotFiles;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an unfinished run has done, kept next to its run marker ({@code .steep_repl_run.parts},
 * JSON lines), so that a retry which imports the same held snapshot reuses it (docs/snapshots.md,
 * "Resume"): first the plan, each table's CTID ranges (the same snapshot cut into other ranges
 * would be as consistent, but parts cut differently could not be reused), then a line for every
 * part whose file is in place. A part counts only when its file is renamed before its line is
 * written, so a line always names a complete file; the retry still checks size and checksum
 * (by the algorithm the line names).
 *
 * <p>The file is input like any other in the directory: every value is checked before use (CTID
 * bounds parsed into numbers and written again, the LSN by its pattern, each part against the
 * plan) and a ledger that fails a check is foreign, so the run starts over. Nothing from it is
 * ever put into SQL as text.
 *
 * <p>Lines are not fsynced: they only serve a retry under the same snapshot, and a snapshot is
 * held only as long as the server runs; after a crash of the machine the run starts over.
 */
final class RunLedger {
    static final String FILE = SnapshotLayout.RUN_MARKER + ".parts";
    /** A CTID bound as the planner writes it: {@code (block,offset)}, both unsigned. */
    private static final Pattern CTID = Pattern.compile("\\(([0-9]{1,10}),([0-9]{1,5})\\)");
    private static final Pattern LSN = Pattern.compile("[0-9A-F]{1,8}/[0-9A-F]{1,8}");
    private static final long MAX_BLOCK = 0xFFFFFFFFL;
    private static final int MAX_OFFSET = 0xFFFF;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record PlannedPart(String ctidFrom, String ctidTo, long estimatedBytes) {
    }

    /** @param dataFormat missing in the ledger of a run before tables had a choice: text */
    record PlannedTable(String schema, String name, List<String> columns, DataFormat dataFormat,
            List<PlannedPart> parts) {
        PlannedTable {
            dataFormat = dataFormat == null ? DataFormat.TEXT : dataFormat;
        }
    }

    /**
     * @param snapshot the held snapshot the parts were copied in
     * @param lsn      its LSN as the manifest records it
     * @param slot     the replication slot created with it (keep_slot), or null
     */
    record Header(String snapshot, String lsn, String slot, List<PlannedTable> tables) {
    }

    record Done(int table, int part, Manifest.PartEntry entry) {
    }

    /** The plan a retry copies under, and the parts it does not copy again. */
    record Resumed(SnapshotPlan plan, Map<Integer, Map<Integer, Manifest.PartEntry>> parts) {
        int count() {
            return parts.values().stream().mapToInt(Map::size).sum();
        }
    }

    private final OutputStream out;

    private RunLedger(OutputStream out) {
        this.out = out;
    }

    /** Starts the ledger of a run under {@code snapshot} with its plan, replacing any earlier one. */
    static RunLedger start(Path dir, String snapshot, String lsn, String slot, SnapshotPlan plan) throws IOException {
        List<PlannedTable> tables = new ArrayList<>();
        for (SnapshotPlan.Table table : plan.tables()) {
            tables.add(new PlannedTable(table.name().schema(), table.name().name(), table.columns(),
                    table.dataFormat(), table.parts().stream()
                            .map(p -> new PlannedPart(p.ctidFrom(), p.ctidTo(), p.estimatedBytes())).toList()));
        }
        OutputStream out = Files.newOutputStream(dir.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        RunLedger ledger = new RunLedger(out);
        ledger.append(new Header(snapshot, lsn, slot, tables));
        return ledger;
    }

    /**
     * What an earlier attempt under {@code snapshot} left in {@code dir}: its plan, if it covers
     * the same tables and columns as {@code plan} (it must, in the same snapshot), and its parts
     * whose files still have the recorded size and checksum. Null when there is nothing to reuse.
     */
    static Resumed resume(Path dir, String snapshot, SnapshotPlan plan, CompressionMethod method) throws IOException {
        List<String> lines = lines(dir);
        Header header = headerOf(lines);
        if (header == null) {
            return null;
        }
        if (!snapshot.equals(header.snapshot()) || !sameTables(header.tables(), plan.tables())) {
            return null;
        }
        List<SnapshotPlan.Table> tables = new ArrayList<>();
        for (int t = 0; t < plan.tables().size(); t++) {
            SnapshotPlan.Table table = plan.tables().get(t);
            List<SnapshotPlan.Part> parts = new ArrayList<>();
            List<PlannedPart> planned = header.tables().get(t).parts();
            for (int p = 0; p < planned.size(); p++) {
                PlannedPart part = planned.get(p);
                parts.add(new SnapshotPlan.Part(table.number(), p, part.ctidFrom(), part.ctidTo(),
                        part.estimatedBytes()));
            }
            tables.add(new SnapshotPlan.Table(table.number(), table.name(), table.parent(), table.columns(),
                    table.relationBytes(), parts, table.dataFormat(), table.columnTypes()));
        }
        SnapshotPlan resumedPlan = new SnapshotPlan(tables, plan.sequences(), plan.dumpTables());
        Map<Integer, Map<Integer, Manifest.PartEntry>> done = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            Done part;
            try {
                part = JSON.readValue(line, Done.class);
            } catch (IOException e) {
                continue; // the last line of a killed attempt may be cut short
            }
            if (part.entry() != null && part.table() >= 1 && part.table() <= tables.size()
                    && part.part() >= 0 && part.part() < tables.get(part.table() - 1).parts().size()
                    && SnapshotLayout.dataFile(part.table(), part.part(), method).equals(part.entry().file())
                    && part.entry().rows() >= 0 && part.entry().rawBytes() >= 0
                    && intact(dir, part.entry())) {
                // The bounds the manifest records are the plan's, not the line's.
                SnapshotPlan.Part planned = tables.get(part.table() - 1).parts().get(part.part());
                Manifest.PartEntry e = part.entry();
                done.computeIfAbsent(part.table(), k -> new HashMap<>()).put(part.part(), new Manifest.PartEntry(
                        e.file(), planned.ctidFrom(), planned.ctidTo(), e.rows(), e.rawBytes(), e.bytes(), e.checksumAlgorithm(),
                        e.checksum()));
            }
        }
        return new Resumed(resumedPlan, done);
    }

    /**
     * What the earlier attempt's ledger in {@code dir} says about its snapshot and plan, every
     * value checked; null when there is none or it fails a check.
     */
    static Header header(Path dir) {
        try {
            return headerOf(lines(dir));
        } catch (IOException e) {
            return null;
        }
    }

    private static Header headerOf(List<String> lines) {
        try {
            return lines.isEmpty() ? null : checked(JSON.readValue(lines.get(0), Header.class));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The header with its CTID bounds written again from their numbers. */
    private static Header checked(Header header) {
        require(header.snapshot() != null && header.tables() != null
                && (header.lsn() == null || LSN.matcher(header.lsn()).matches()));
        List<PlannedTable> tables = new ArrayList<>();
        for (PlannedTable table : header.tables()) {
            require(table != null && table.parts() != null);
            List<PlannedPart> parts = new ArrayList<>();
            for (PlannedPart part : table.parts()) {
                require(part != null && part.estimatedBytes() >= 0 && (part.ctidFrom() != null || part.ctidTo() == null));
                parts.add(new PlannedPart(ctid(part.ctidFrom()), ctid(part.ctidTo()), part.estimatedBytes()));
            }
            tables.add(new PlannedTable(table.schema(), table.name(), table.columns(), table.dataFormat(), parts));
        }
        return new Header(header.snapshot(), header.lsn(), header.slot(), tables);
    }

    /** {@code (block,offset)} parsed and formatted again; null stays null. */
    static String ctid(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = CTID.matcher(text);
        require(m.matches());
        long block = Long.parseLong(m.group(1));
        int offset = Integer.parseInt(m.group(2));
        require(block <= MAX_BLOCK && offset <= MAX_OFFSET);
        return "(" + block + "," + offset + ")";
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw new IllegalArgumentException("not a ledger this code wrote");
        }
    }

    private static List<String> lines(Path dir) throws IOException {
        try {
            return new String(SnapshotFiles.readAllBytes(dir, FILE), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException | SnapshotFiles.UnsafeFileException e) {
            return List.of();
        }
    }

    /** Continues the ledger of a resumed run. */
    static RunLedger append(Path dir) throws IOException {
        return new RunLedger(Files.newOutputStream(dir.resolve(FILE), StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    }

    /** Records a part whose file is in place under its final name. */
    synchronized void partDone(int table, int part, Manifest.PartEntry entry) throws IOException {
        append(new Done(table, part, entry));
    }

    void close() throws IOException {
        out.close();
    }

    private void append(Object line) throws IOException {
        byte[] json = JSON.writeValueAsBytes(line);
        byte[] withNewline = new byte[json.length + 1];
        System.arraycopy(json, 0, withNewline, 0, json.length);
        withNewline[json.length] = '\n';
        // One write per line: a killed process leaves whole lines and at most one cut short.
        out.write(withNewline);
        out.flush();
    }

    private static boolean sameTables(List<PlannedTable> planned, List<SnapshotPlan.Table> tables) {
        if (planned == null || planned.size() != tables.size()) {
            return false;
        }
        for (int i = 0; i < tables.size(); i++) {
            SnapshotPlan.Table table = tables.get(i);
            PlannedTable was = planned.get(i);
            if (!table.name().schema().equals(was.schema()) || !table.name().name().equals(was.name())
                    || !table.columns().equals(was.columns()) || table.dataFormat() != was.dataFormat()
                    || was.parts() == null || was.parts().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean intact(Path dir, Manifest.PartEntry entry) {
        if (entry.checksumAlgorithm() == null) {
            return false; // a line without one is not this version's: copy the part again
        }
        try (SeekableByteChannel file = SnapshotFiles.open(dir, entry.file())) {
            return file.size() == entry.bytes()
                    && entry.checksumAlgorithm().of(Channels.newInputStream(file)).equals(entry.checksum());
        } catch (IOException e) {
            return false;
        }
    }
}
