package io.steep.repl.snapshot.apply;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.jdbc.LostClientCheck;
import io.steep.repl.job.ServerAccess;
import io.steep.repl.snapshot.ServerPrograms;
import io.steep.repl.snapshot.SnapshotPaths;
import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest;
import io.steep.repl.snapshot.manifest.ManifestReader;
import io.steep.repl.snapshot.manifest.SnapshotFiles;
import io.steep.repl.snapshot.verify.SnapshotVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One apply of a snapshot into the job's database (docs/snapshots.md, "Apply"): verify, check
 * the target, build the schema when it is missing, load the data in parallel, build the
 * post-data objects, set the sequences, ANALYZE and compare the row counts. Everything that
 * can refuse the apply is checked before the first change.
 */
final class SnapshotApply {
    /** Tables named in one error message before the rest are only counted. */
    private static final int LISTED = 10;

    private final Connection main;
    private final ConnectionSource connections;
    private final Supplier<ServerAccess> serverAccess;
    private final ApplyParams params;
    private final ApplyProgress progress;
    private final BooleanSupplier cancelled;
    private final Runnable checkCancelled;
    /** Data files an earlier attempt of this apply had already loaded. */
    private int partsResumed;

    SnapshotApply(Connection main, ConnectionSource connections, Supplier<ServerAccess> serverAccess,
            ApplyParams params, ApplyProgress progress, BooleanSupplier cancelled, Runnable checkCancelled) {
        this.main = main;
        this.connections = purpose -> poolSession(connections.open(purpose));
        this.serverAccess = serverAccess;
        this.params = params;
        this.progress = progress;
        this.cancelled = cancelled;
        this.checkCancelled = checkCancelled;
    }

    ObjectNode run() throws Exception {
        Path dir = SnapshotPaths.resolve(main, params.path(), SnapshotPaths.Access.READ);
        progress.phase("verify", null);
        ManifestReader.Identified read = ManifestReader.readIdentified(dir);
        Manifest manifest = read.manifest();
        Verifying verifying = new Verifying(dir, manifest);
        try {
            return run(dir, manifest, read.sha256(), verifying);
        } catch (Exception | Error e) {
            // The verdict on the files comes first: a damaged snapshot is reported as such,
            // whatever else went wrong meanwhile.
            verifying.awaitBefore(e);
            throw e;
        }
    }

    /**
     * The rest of the apply, while {@code verifying} checks the files: nothing changes before
     * it passed, but the checks of the target and the schema build (whose transaction commits
     * only then) run beside it.
     */
    private ObjectNode run(Path dir, Manifest manifest, String manifestSha256, Verifying verifying) throws Exception {
        checkCancelled.run();

        String snapshotId = manifest.snapshotId();
        List<Manifest.TableEntry> tables = manifest.tables();
        List<Manifest.TableName> names = tables.stream().map(Manifest.TableEntry::tableName).toList();
        Set<Manifest.TableName> existing = TargetTables.existing(main, names);
        LoadLedger ledger = LoadLedger.read(main, snapshotId);
        boolean buildSchema = existing.isEmpty() && !names.isEmpty();
        if (!buildSchema && existing.size() < names.size()) {
            List<Manifest.TableName> missing = names.stream().filter(n -> !existing.contains(n)).toList();
            throw new SteepReplException(ErrorCode.ERROR, "the target has some of the snapshot's tables but not "
                    + listed(missing), "Apply builds the schema only into a database that has none of the "
                    + "snapshot's tables; create the missing ones, or drop the others and apply again.");
        }
        PostDataScript postData = readPostData(dir, manifest);
        boolean runPostData = buildSchema || ledger.schemaBuilt();
        Set<Integer> present = Set.of();
        if (!runPostData) {
            // Tables made beforehand: build the keys and indexes they lack, or refuse now.
            Set<Integer> missing = MissingKeys.of(main, postData);
            MissingKeys.requireBuildable(main, postData, missing);
            present = MissingKeys.present(postData, missing);
            runPostData = !missing.isEmpty();
        }
        DataPlan plan = null;
        if (!buildSchema) {
            plan = preflight(manifest, ledger);
        }
        checkCancelled.run();

        if (buildSchema) {
            if (!ledger.isEmpty()) {
                // The tables an earlier attempt recorded are gone; what it recorded no longer holds.
                verifying.await();
                LoadLedger.clear(main, snapshotId);
            }
            ServerAccess access = serverAccess.get();
            PreDataRunner.run(ServerPrograms.find("psql"),
                    access.scriptEnvironment("steep_repl job " + access.jobId() + " schema"), access.enterStatement(),
                    readPreData(dir, manifest), snapshotId, cancelled, () -> {
                        verifying.await();
                        progress.phase("schema", null);
                    });
            checkCancelled.run();
            Set<Manifest.TableName> created = TargetTables.existing(main, names);
            if (created.size() < names.size()) {
                throw new SteepReplException(ErrorCode.ERROR, "pre-data.sql did not create "
                        + listed(names.stream().filter(n -> !created.contains(n)).toList()), null);
            }
            ledger = LoadLedger.read(main, snapshotId);
            plan = DataPlan.forNewTables(manifest, ledger);
        } else {
            verifying.await();
        }

        PostDataRunner postDataRunner = runPostData
                ? new PostDataRunner(postData, ledger, present, progress, connections, params.parallel(), cancelled)
                : null;
        Map<Manifest.TableName, Long> counts = loadData(dir, manifest, ledger, plan, postDataRunner);
        if (postDataRunner != null) {
            postDataRunner.finish();
        }
        setSequences(manifest);
        checkRowCounts(manifest, counts);
        LoadLedger.clear(main, snapshotId);
        return result(manifest, manifestSha256, buildSchema);
    }

    /**
     * The settings of every session of the pool. Its loads, index builds and ANALYZEs do not
     * wait for each commit to reach the disk. That is safe: a crash loses a load or an object
     * together with its ledger row, so the resume does it again; and the job's own final commit,
     * which comes after all of them in the WAL, flushes them before the apply is reported
     * complete. And a statement whose worker died stops within a second instead of holding its
     * locks (client_connection_check_interval).
     */
    private static Connection poolSession(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET synchronous_commit = off");
            LostClientCheck.enable(connection, false);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * The check of every file against the manifest (sizes and checksums, in parallel), on a
     * thread of its own from the start of the apply; without verify, only that no file is a
     * link or outside the directory.
     */
    private final class Verifying {
        private final FutureTask<Void> task;

        Verifying(Path dir, Manifest manifest) {
            if (!params.verify()) {
                requireRegularFiles(dir, manifest);
                task = null;
                return;
            }
            task = new FutureTask<>(() -> {
                check(dir, manifest);
                return null;
            });
            Thread thread = new Thread(task, "steep_repl-verify");
            thread.setDaemon(true);
            thread.start();
        }

        /** Returns once the files passed; throws what the check found otherwise. */
        void await() throws Exception {
            if (task == null) {
                return;
            }
            try {
                task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw e;
            }
        }

        /** After {@code failure} elsewhere: throws the check's own failure instead, if it has one. */
        void awaitBefore(Throwable failure) throws Exception {
            try {
                await();
            } catch (Exception verdict) {
                if (verdict != failure) {
                    verdict.addSuppressed(failure);
                }
                throw verdict;
            }
        }
    }

    private void check(Path dir, Manifest manifest) {
        long total = manifest.schema().preData().bytes() + manifest.schema().postData().bytes()
                + manifest.tables().stream().flatMap(t -> t.parts().stream()).mapToLong(Manifest.PartEntry::bytes).sum();
        AtomicLong done = new AtomicLong();
        SnapshotVerifier verifier = new SnapshotVerifier(false, params.parallel(), (file, bytes) -> {
            checkCancelled.run();
            long sum = done.addAndGet(bytes);
            progress.percent(total == 0 ? 100 : sum * 100.0 / total, file);
        });
        verifier.check(dir, manifest).orThrow();
    }

    /**
     * Without verify, still no file is read through a link or from outside the directory: the
     * worker would otherwise load what only the server's OS user may read (docs/security.md).
     */
    private static void requireRegularFiles(Path dir, Manifest manifest) {
        List<String> files = new ArrayList<>(List.of(manifest.schema().preData().file(),
                manifest.schema().postData().file()));
        manifest.tables().forEach(t -> t.parts().forEach(p -> files.add(p.file())));
        for (String file : files) {
            try {
                SnapshotFiles.checked(dir, file);
            } catch (SnapshotFiles.UnsafeFileException e) {
                throw new SteepReplException(ErrorCode.ERROR, "snapshot file " + file + " cannot be used: "
                        + e.getReason(), "Nothing was changed. Put the file itself into the snapshot directory.");
            } catch (java.io.IOException e) {
                // a missing or unreadable file fails its load, before that load changes anything
            }
        }
    }

    /**
     * A schema script's text; with verify, checked against its manifest entry first, so that a
     * script runs only as the bytes the manifest names, whatever the check of the other files
     * running beside it finds later.
     */
    private String readScript(Path dir, Manifest.FileEntry script) throws java.io.IOException {
        byte[] bytes = SnapshotFiles.readAllBytes(dir, script.file());
        if (params.verify() && (bytes.length != script.bytes()
                || !script.checksumAlgorithm().of(bytes).equals(script.checksum()))) {
            throw new SteepReplException(ErrorCode.ERROR, "snapshot file " + script.file() + " does not match the "
                    + "manifest (size or " + script.checksumAlgorithm().id() + " checksum)",
                    "Nothing was changed. Generate the snapshot again, or copy it again from where it is intact.");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** pre-data.sql as psql is to run it, or refused before anything runs. */
    private String readPreData(Path dir, Manifest manifest) throws java.io.IOException {
        String text = readScript(dir, manifest.schema().preData());
        try {
            return PreDataFilter.withoutExtensionObjects(text);
        } catch (IllegalArgumentException e) {
            throw new SteepReplException(ErrorCode.ERROR, "pre-data.sql cannot be run: " + e.getMessage(),
                    "Nothing was changed. A snapshot's schema scripts are pg_dump's; generate the snapshot again.");
        }
    }

    private PostDataScript readPostData(Path dir, Manifest manifest) throws java.io.IOException {
        String text = readScript(dir, manifest.schema().postData());
        try {
            return PostDataScript.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SteepReplException(ErrorCode.ERROR, "post-data.sql cannot be read: " + e.getMessage(), null);
        }
    }

    /**
     * The checks on an existing schema, before anything changes: privileges, sequences,
     * emptiness (unless replace), and foreign keys that would make TRUNCATE cascade or the
     * load order impossible.
     */
    private DataPlan preflight(Manifest manifest, LoadLedger ledger) throws Exception {
        List<Manifest.TableName> names = manifest.tables().stream().map(Manifest.TableEntry::tableName).toList();
        requirePrivilege(names, "INSERT", "load rows into");
        requirePrivilege(names, "SELECT", "see whether they hold rows");
        if (params.replace()) {
            requirePrivilege(names, "TRUNCATE", "empty (replace)");
        }
        checkSequences(manifest);
        checkBinaryColumns(manifest);
        List<Manifest.TableName> withParents = new ArrayList<>(names);
        manifest.tables().stream().map(Manifest.TableEntry::parent).filter(p -> p != null).distinct()
                .forEach(withParents::add);
        DataPlan plan = DataPlan.of(manifest, ledger, params.replace(),
                TargetTables.foreignKeys(main, withParents));
        if (!params.replace()) {
            List<Manifest.TableName> nonEmpty = new ArrayList<>();
            for (Manifest.TableEntry table : manifest.tables()) {
                if (!ledger.touched(table) && TargetTables.hasRows(main, table.tableName())) {
                    nonEmpty.add(table.tableName());
                }
            }
            if (!nonEmpty.isEmpty()) {
                throw new SteepReplException(ErrorCode.ERROR, "the target already holds rows in " + listed(nonEmpty),
                        "Nothing was changed. Apply with the option replace to empty exactly the snapshot's "
                                + "tables first, or empty them yourself.");
            }
        }
        return plan;
    }

    private void requirePrivilege(List<Manifest.TableName> names, String privilege, String action) throws Exception {
        List<Manifest.TableName> lacking = TargetTables.lacking(main, names, privilege);
        if (!lacking.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "permission denied: role " + currentUser() + " may not "
                    + action + " " + listed(lacking), "Nothing was changed. GRANT " + privilege
                    + " on these tables to the role that runs the apply.", "42501", null);
        }
    }

    /**
     * A binary part loads only into columns of the types it was written from: the server reads
     * each value with the column's receive function, and where two types share a binary form
     * (int4 and float4, timestamp and timestamptz) the wrong one would load without an error.
     * Text converts; binary is checked here, against the types the manifest records.
     */
    private void checkBinaryColumns(Manifest manifest) throws Exception {
        List<String> mismatched = new ArrayList<>();
        for (Manifest.TableEntry table : manifest.tables()) {
            if (table.dataFormat() != DataFormat.BINARY) {
                continue;
            }
            List<String> target = TargetTables.columnTypes(main, table.tableName(), table.columns());
            for (int i = 0; i < table.columns().size(); i++) {
                String snapshot = i < table.columnTypes().size() ? table.columnTypes().get(i) : null;
                if (snapshot == null || !snapshot.equals(target.get(i))) {
                    mismatched.add(table.tableName().display() + "." + table.columns().get(i) + " ("
                            + (target.get(i) == null ? "missing" : target.get(i)) + ", the snapshot's "
                            + (snapshot == null ? "not recorded" : snapshot) + ")");
                }
            }
        }
        if (!mismatched.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "the snapshot holds these columns in COPY's binary "
                    + "format, which loads only into columns of the snapshot's types: " + listedText(mismatched),
                    "Nothing was changed. Give the columns the snapshot's types, or generate the snapshot with "
                            + "the option data_format text (--data-format text), whose values convert on load.");
        }
    }

    private void checkSequences(Manifest manifest) throws Exception {
        List<String> missing = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        try (PreparedStatement ps = main.prepareStatement("SELECT c.oid IS NULL, c.oid IS NOT NULL AND NOT "
                + "pg_catalog.has_sequence_privilege(c.oid, 'UPDATE') FROM (SELECT pg_catalog.to_regclass("
                + "pg_catalog.format('%I.%I', ?, ?)) AS oid) AS c")) {
            for (Manifest.SequenceEntry seq : manifest.sequences()) {
                ps.setString(1, seq.schema());
                ps.setString(2, seq.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        missing.add(seq.schema() + "." + seq.name());
                    } else if (rs.getBoolean(2)) {
                        lacking.add(seq.schema() + "." + seq.name());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "the target lacks the snapshot's sequences "
                    + listedText(missing), "Nothing was changed. Create them, or apply into a database without "
                    + "the snapshot's tables so that the schema is built from the snapshot.");
        }
        if (!lacking.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "permission denied: role " + currentUser()
                    + " may not set the sequences " + listedText(lacking), "Nothing was changed. GRANT UPDATE on "
                    + "these sequences to the role that runs the apply.", "42501", null);
        }
    }

    /**
     * Loads every data file not loaded yet and, beside the loads, what depends only on a table's
     * own data once that is in: its indexes (with post-data) and ANALYZE. Every task of a table
     * weighs the table's whole data: the largest table's loads, then its index build and
     * ANALYZE, the longest chain of the apply, go first on all connections, and the smaller
     * tables fill in beside that chain's serial end instead of delaying its start.
     *
     * @return the row count of every table after its load
     */
    private Map<Manifest.TableName, Long> loadData(Path dir, Manifest manifest, LoadLedger ledger, DataPlan plan,
            PostDataRunner postData) throws Exception {
        claim(plan, ledger);
        long total = 0;
        long bytesAlready = 0;
        long rowsAlready = 0;
        int tablesAlready = 0;
        Map<Manifest.TableName, AtomicInteger> partsLeft = new LinkedHashMap<>();
        for (Manifest.TableEntry table : manifest.tables()) {
            int left = 0;
            for (int p = 0; p < Math.max(1, table.parts().size()); p++) {
                long bytes = table.parts().isEmpty() ? 0 : table.parts().get(p).bytes();
                total += bytes;
                if (ledger.partLoaded(table.tableName(), p)) {
                    partsResumed++;
                    bytesAlready += bytes;
                    rowsAlready += table.parts().isEmpty() ? 0 : table.parts().get(p).rows();
                } else {
                    left++;
                }
            }
            if (left == 0) {
                tablesAlready++;
            }
            partsLeft.put(table.tableName(), new AtomicInteger(left));
        }
        progress.startData(manifest.tables().size(), total, bytesAlready, rowsAlready, tablesAlready);
        PartLoader loader = new PartLoader(dir, manifest.compression().method(), submitterReadsServerFiles(), ledger,
                progress, cancelled);
        List<TaskPool.Task> tasks = new ArrayList<>();
        Map<Manifest.TableName, Set<String>> loadsOf = new HashMap<>();
        AtomicInteger loadsLeft = new AtomicInteger(plan.tasks().size());
        for (DataPlan.PartTask part : plan.tasks()) {
            loadsOf.computeIfAbsent(plan.unitOf(part.table().tableName()), u -> new HashSet<>()).add(part.id());
            tasks.add(new TaskPool.Task(part.id(), part.dependsOn(), plan.unitBytes(plan.unitOf(
                    part.table().tableName())), c -> {
                loader.load(c, part.table(), part.part(), part.truncate());
                if (partsLeft.get(part.table().tableName()).decrementAndGet() == 0) {
                    progress.tableFinished();
                }
                if (loadsLeft.decrementAndGet() == 0 && postData != null) {
                    progress.phase("post-data", null);
                }
            }));
        }
        Set<String> indexTasks = new HashSet<>();
        if (postData != null) {
            for (TaskPool.Task task : postData.indexTasks(plan::unitOf, plan::unitBytes, loadsOf)) {
                tasks.add(task);
                indexTasks.add(task.id());
            }
        }
        Set<Manifest.TableName> analyzed = new LinkedHashSet<>();
        for (Manifest.TableEntry table : manifest.tables()) {
            Manifest.TableName unit = plan.unitOf(table.tableName());
            Set<String> after = new HashSet<>(loadsOf.getOrDefault(unit, Set.of()));
            String indexTask = PostDataRunner.indexTaskId(unit);
            if (indexTasks.contains(indexTask)) {
                after.add(indexTask);
            }
            for (Manifest.TableName target : table.parent() == null ? List.of(table.tableName())
                    : List.of(table.tableName(), table.parent())) {
                if (analyzed.add(target)) {
                    tasks.add(new TaskPool.Task("analyze " + target.display(), after, plan.unitBytes(unit), c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("ANALYZE " + target.quoted());
                        }
                    }));
                }
            }
        }
        runPool(tasks, "load");
        return LoadLedger.loadedRows(main, manifest.snapshotId());
    }

    /** Empties (with replace) and records the tables loaded in more than one transaction. */
    private void claim(DataPlan plan, LoadLedger ledger) throws Exception {
        for (List<Manifest.TableName> group : plan.claims()) {
            main.setAutoCommit(false);
            try {
                if (params.replace()) {
                    try (Statement s = main.createStatement()) {
                        s.execute("TRUNCATE " + group.stream().map(t -> "ONLY " + t.quoted())
                                .collect(Collectors.joining(", ")));
                    }
                }
                for (Manifest.TableName table : group) {
                    ledger.record(main, LoadLedger.CLAIM, table, -1, null);
                }
                main.commit();
            } catch (Exception e) {
                main.rollback();
                throw e;
            } finally {
                main.setAutoCommit(true);
            }
        }
    }

    private void setSequences(Manifest manifest) throws Exception {
        progress.phase("sequences", null);
        try (PreparedStatement ps = main.prepareStatement("SELECT pg_catalog.setval("
                + "pg_catalog.format('%I.%I', ?, ?)::regclass, ?, ?)")) {
            int done = 0;
            for (Manifest.SequenceEntry seq : manifest.sequences()) {
                ps.setString(1, seq.schema());
                ps.setString(2, seq.name());
                ps.setLong(3, seq.lastValue());
                ps.setBoolean(4, seq.isCalled());
                ps.execute();
                progress.percent(++done * 100.0 / manifest.sequences().size(), seq.schema() + "." + seq.name());
            }
        }
    }

    private void checkRowCounts(Manifest manifest, Map<Manifest.TableName, Long> counts) {
        progress.phase("check", null);
        List<String> wrong = new ArrayList<>();
        for (Manifest.TableEntry table : manifest.tables()) {
            long actual = counts.getOrDefault(table.tableName(), 0L);
            if (actual != table.rows()) {
                wrong.add(table.tableName().display() + " has " + actual + " rows, the manifest " + table.rows());
            }
        }
        if (!wrong.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "row counts differ from the snapshot's: "
                    + listedText(wrong), "A part of these tables is missing from the load ledger, or the snapshot "
                    + "is inconsistent. Apply again with the option replace.");
        }
    }

    private void runPool(List<TaskPool.Task> tasks, String purpose) throws Exception {
        try {
            new TaskPool(connections, params.parallel(), cancelled, purpose).run(tasks);
        } catch (TaskPool.CancelledException e) {
            checkCancelled.run();
            throw e;
        }
    }

    private ObjectNode result(Manifest manifest, String manifestSha256, boolean schemaBuilt) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("snapshot_id", params.runId());
        result.put("source_snapshot_id", manifest.snapshotId());
        result.put("tables_total", manifest.tables().size());
        result.put("tables_completed", manifest.tables().size());
        result.put("rows_total", manifest.tables().stream().mapToLong(Manifest.TableEntry::rows).sum());
        result.put("bytes_total", manifest.tables().stream().flatMap(t -> t.parts().stream())
                .mapToLong(Manifest.PartEntry::bytes).sum());
        result.put("lsn", manifest.consistency() == null ? null : manifest.consistency().lsn());
        result.put("slot_name", manifest.consistency() == null || manifest.consistency().slot() == null ? null
                : manifest.consistency().slot().name());
        result.put("manifest_sha256", manifestSha256);
        result.put("schema_built", schemaBuilt);
        result.put("parts_resumed", partsResumed);
        return result;
    }

    /** pg_read_server_files, or superuser: the server may then read the data files itself. */
    private boolean submitterReadsServerFiles() throws SQLException {
        try (Statement s = main.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_catalog.pg_has_role(current_user, 'pg_read_server_files', 'USAGE')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private String currentUser() throws Exception {
        try (Statement s = main.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String listed(List<Manifest.TableName> tables) {
        return listedText(tables.stream().map(Manifest.TableName::display).toList());
    }

    static String listedText(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
        return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
    }
}
