package io.steep.repl.snapshot.generate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.job.JobContext;
import io.steep.repl.snapshot.ServerPrograms;
import io.steep.repl.snapshot.SnapshotPaths;
import io.steep.repl.snapshot.compress.CompressionMethod;
import io.steep.repl.snapshot.manifest.DurableFiles;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestWriter;
import io.steep.repl.snapshot.manifest.SnapshotLayout;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One generate run (docs/snapshots.md, "Generate"): export a snapshot (with keep_slot: create
 * the slot, which exports it), plan, copy the data in parallel while pg_dump writes the schema, read the
 * sequences, and write the manifest last. Until the manifest is renamed into place nothing in
 * the directory claims to be a snapshot, so a failure or cancel at any point leaves no false
 * complete, and no slot: a run that does not complete drops the one it created.
 */
final class SnapshotGenerator {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JobContext context;
    private final GenerateParams params;

    SnapshotGenerator(JobContext context, GenerateParams params) {
        this.context = context;
        this.params = params;
    }

    ObjectNode run() throws Exception {
        GenerateProgress progress = new GenerateProgress(context, params.snapshotId(), System::nanoTime);
        progress.phase("plan");
        Connection coordinator = context.openConnection("steep_repl job " + context.jobId() + " snapshot");
        Path dir;
        KeptSlot slot = null;
        SnapshotHolder.Held held = null;
        try {
            dir = SnapshotPaths.resolve(coordinator, params.path(), SnapshotPaths.Access.WRITE);
            if (params.keepSlot()) {
                RunLedger.Header earlier = RunLedger.header(dir);
                held = heldWithItsSlot(coordinator, earlier);
                slot = held != null ? KeptSlot.adopt(context, params.slotName(), earlier.lsn())
                        : KeptSlot.create(context, coordinator, params.slotName(),
                                params.slotName().equals(GenerateParams.derivedSlotName(params.snapshotId())));
            }
        } catch (Exception e) {
            coordinator.close();
            throw e;
        }
        try {
            ObjectNode result = run(coordinator, slot, held, dir, progress);
            if (slot != null) {
                slot.keep();
            }
            return result;
        } catch (Exception e) {
            throw slot == null ? e : slot.dropAfter(e);
        } catch (Error e) {
            if (slot != null) {
                slot.dropAfter(e);
            }
            throw e;
        }
    }

    /**
     * With keep_slot, a retry resumes only together with the slot of the attempt it continues:
     * the job's holder still holds the snapshot the earlier attempt's ledger names, and that
     * attempt's slot is still there, unused. Otherwise a holder left by the earlier attempt is
     * released, and the run starts over with a new slot.
     */
    private SnapshotHolder.Held heldWithItsSlot(Connection coordinator, RunLedger.Header earlier) throws Exception {
        SnapshotHolder.Held existing = SnapshotHolder.existing(coordinator, context.jobId());
        if (existing == null) {
            return null;
        }
        if (earlier != null && existing.name().equals(earlier.snapshot()) && earlier.lsn() != null
                && params.slotName().equals(earlier.slot()) && KeptSlot.existsUnused(coordinator, params.slotName())) {
            return existing;
        }
        HeldSnapshots.release(context);
        return null;
    }

    /**
     * @param held with keep_slot, the held snapshot of the earlier attempt whose slot this run
     *             adopted; null otherwise
     */
    private ObjectNode run(Connection coordinator, KeptSlot slot, SnapshotHolder.Held held, Path dir,
            GenerateProgress progress) throws Exception {
        if (held == null) {
            // With keep_slot the holder imports the slot's snapshot while its connection still runs.
            held = HeldSnapshots.hold(context, coordinator, slot == null ? null : slot.snapshotName());
        }
        String lsn = slot != null ? slot.consistentPoint() : held != null ? held.lsn() : null;
        try (ExportedSnapshot snapshot = held != null ? ExportedSnapshot.imported(coordinator, held.name(), lsn, false)
                // exported again under the coordinator's own name, so the slot's connection can go
                : slot != null ? ExportedSnapshot.imported(coordinator, slot.snapshotName(), lsn, true)
                : ExportedSnapshot.export(coordinator)) {
            if (slot != null) {
                slot.releaseSnapshot();
            }
            String createdAt = TIMESTAMP.format(Instant.now());
            SnapshotPlan plan = SnapshotPlanner.plan(snapshot.connection(), params.filter(), params.splitThresholdBytes(),
                    params.parallel(), params.dataFormat());
            List<Manifest.TableName> names = plan.tables().stream().map(SnapshotPlan.Table::name).toList();
            // The holder keeps the locks past this attempt; without one the coordinator takes them.
            if (held != null) {
                HeldSnapshots.lock(context, names);
            } else {
                snapshot.lock(names);
            }
            Manifest.Source source = snapshot.source(params.nodeId());
            boolean serverSide = params.compression().method() == CompressionMethod.NONE
                    && snapshot.submitterWritesServerFiles();
            context.checkCancelled();
            // Only under the snapshot they were copied in do an earlier attempt's parts count; without
            // a usable ledger they are discarded with the rest of the attempt.
            RunLedger.Resumed resumed = held != null && held.reused()
                    ? RunLedger.resume(dir, snapshot.name(), plan, params.compression().method()) : null;
            boolean created = OutputDirectory.prepare(dir, params.snapshotId(), resumed != null,
                    other -> hasEnded(coordinator, other));
            if (resumed != null) {
                plan = resumed.plan();
                System.err.println("steep_repl job " + context.jobId() + ": resuming " + params.snapshotId()
                        + " under its held snapshot " + snapshot.name() + ": " + resumed.count()
                        + " finished parts reused");
            }
            progress.planned(plan);
            RunLedger ledger = resumed != null ? RunLedger.append(dir)
                    : RunLedger.start(dir, snapshot.name(), snapshot.lsn(), slot == null ? null : slot.name(), plan);
            try {
                return generate(snapshot, slot, plan, resumed == null ? Map.of() : resumed.parts(), ledger, source,
                        createdAt, dir, serverSide, progress);
            } catch (Exception | Error e) {
                if (noLaterAttempt()) {
                    // Nothing will continue this run: what it wrote would only block a new run into the path.
                    ledger.close();
                    OutputDirectory.discard(dir, params.snapshotId(), created);
                } else {
                    OutputDirectory.removeTemporaryFiles(dir);
                }
                throw e;
            } finally {
                ledger.close();
            }
        }
    }

    private ObjectNode generate(ExportedSnapshot snapshot, KeptSlot slot, SnapshotPlan plan,
            Map<Integer, Map<Integer, Manifest.PartEntry>> reused, RunLedger ledger, Manifest.Source source,
            String createdAt, Path dir, boolean serverSide, GenerateProgress progress) throws Exception {
        progress.phase("data");
        ParallelCopier copier = new ParallelCopier(context, snapshot.name(), dir, params.compression(),
                params.checksum(), serverSide, progress);
        SchemaDumper dumper = new SchemaDumper(context, ServerPrograms.find("pg_dump"), snapshot.name(), params.filter(),
                plan.dumpTables(), params.checksum());
        // The schema is dumped while the data is copied: both read the same snapshot.
        FutureTask<Manifest.Schema> schema = new FutureTask<>(() -> {
            try {
                return new Manifest.Schema(dumper.dump("pre-data", dir, SnapshotLayout.PRE_DATA),
                        dumper.dump("post-data", dir, SnapshotLayout.POST_DATA));
            } catch (Exception | Error e) {
                copier.fail(e);
                throw e;
            }
        });
        Thread schemaThread = new Thread(schema, "steep_repl-job-" + context.jobId() + "-schema");
        schemaThread.setDaemon(true);
        schemaThread.start();
        Map<Integer, List<Manifest.PartEntry>> parts;
        try {
            parts = copier.copy(plan, params.parallel(), reused, ledger);
        } finally {
            schemaThread.join();
        }
        Manifest.Schema schemaFiles = schemaFiles(schema);
        Manifest.FileEntry preData = schemaFiles.preData();
        Manifest.FileEntry postData = schemaFiles.postData();
        DurableFiles.fsyncDirectory(dir.resolve(SnapshotLayout.DATA_DIR));

        progress.phase("sequences");
        List<Manifest.SequenceEntry> sequences = new ArrayList<>();
        for (Manifest.TableName sequence : plan.sequences()) {
            context.checkCancelled();
            sequences.add(snapshot.readSequence(sequence));
        }

        progress.phase("manifest");
        List<Manifest.TableEntry> tables = new ArrayList<>();
        long rows = 0;
        long rawBytes = 0;
        long bytes = preData.bytes() + postData.bytes();
        int partCount = 0;
        for (SnapshotPlan.Table table : plan.tables()) {
            List<Manifest.PartEntry> written = parts.get(table.number());
            long tableRows = written.stream().mapToLong(Manifest.PartEntry::rows).sum();
            tables.add(new Manifest.TableEntry(table.name().schema(), table.name().name(), table.parent(),
                    table.columns(), table.columnTypes(), table.dataFormat(), tableRows, written));
            rows += tableRows;
            rawBytes += written.stream().mapToLong(Manifest.PartEntry::rawBytes).sum();
            bytes += written.stream().mapToLong(Manifest.PartEntry::bytes).sum();
            partCount += written.size();
        }
        context.checkCancelled();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, params.snapshotId(), createdAt,
                TIMESTAMP.format(Instant.now()), source, new Manifest.Consistency(snapshot.name(), snapshot.lsn(),
                        slot == null ? null : new Manifest.Slot(slot.name(), KeptSlot.PLUGIN)),
                params.compression(), schemaFiles, tables, sequences,
                new Manifest.Totals(tables.size(), partCount, rows, rawBytes, bytes));
        String manifestSha = ManifestWriter.write(dir, manifest);
        OutputDirectory.finish(dir);

        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("snapshot_id", params.snapshotId());
        result.put("path", dir.toString());
        result.put("tables_total", tables.size());
        result.put("tables_completed", progress.tablesCompleted());
        result.put("rows_total", rows);
        result.put("bytes_total", bytes);
        result.put("lsn", snapshot.lsn());
        result.put("slot_name", slot == null ? null : slot.name());
        result.put("manifest_sha256", manifestSha);
        return result;
    }

    /**
     * A cancelled job, or one on its last attempt, is not run again; a failed attempt with
     * attempts left is, and its retry may reuse the finished parts.
     */
    private boolean noLaterAttempt() {
        return context.isCancelled() || context.job().attempts() >= context.job().maxAttempts();
    }

    private static Manifest.Schema schemaFiles(FutureTask<Manifest.Schema> schema) throws Exception {
        try {
            return schema.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Whether the generate run {@code snapshotId} has ended for good (failed or cancelled) and is
     * one the submitter may see: row-level security shows a role its own runs and those of the
     * roles it is a member of, so no role clears another's directory.
     */
    private static boolean hasEnded(Connection connection, String snapshotId) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT s.status IN ('failed', 'cancelled') "
                + "FROM steep_repl.snapshots s WHERE s.snapshot_id = ? AND s.op = 'generate'")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }
}
