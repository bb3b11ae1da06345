package io.steep.repl.snapshot.apply;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.manifest.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the data phase does, worked out before anything changes.
 *
 * <ul>
 * <li>Units: a leaf partition counts as its partitioned root, because foreign keys and
 * post-data objects are defined on the root.</li>
 * <li>Claims: tables emptied (with replace) or taken over in a transaction of their own before
 * loading: a split table, whose parts load in separate transactions, and (with replace) every
 * group of tables linked by foreign keys, since PostgreSQL truncates a referenced table only
 * together with the tables referencing it. A table outside the snapshot that references one
 * inside would need CASCADE, which apply never uses: that is refused.</li>
 * <li>Tasks: one per data file not yet loaded. An unclaimed table is emptied in its load
 * transaction. When the target already has foreign keys, a table loads only after the tables
 * it references; a cycle of foreign keys cannot be loaded that way and is refused.</li>
 * </ul>
 */
final class DataPlan {

    /** Loading one data file (part 0 of a table without files only empties or records it). */
    record PartTask(String id, Manifest.TableEntry table, int part, boolean truncate, long bytes,
            Set<String> dependsOn) {
    }

    private final Map<Manifest.TableName, Manifest.TableName> unitOf;
    private final Map<Manifest.TableName, Long> unitBytes;
    private final List<List<Manifest.TableName>> claims;
    private final List<PartTask> tasks;

    private DataPlan(Map<Manifest.TableName, Manifest.TableName> unitOf, Map<Manifest.TableName, Long> unitBytes,
            List<List<Manifest.TableName>> claims, List<PartTask> tasks) {
        this.unitOf = unitOf;
        this.unitBytes = unitBytes;
        this.claims = claims;
        this.tasks = tasks;
    }

    /**
     * Below this many bytes of data, a table the apply has just created is not emptied in its
     * load's transaction to let COPY write its rows frozen: TRUNCATE drops a file, which makes
     * that commit wait for the disk (a few milliseconds a table), more than setting the hint bits
     * of so few pages ever costs.
     */
    static final long FREEZE_MIN_BYTES = 1024 * 1024;

    /**
     * For tables that already exist: with replace, a table is emptied before its load (in the
     * load's transaction where that is possible, see the class comment).
     */
    static DataPlan of(Manifest manifest, LoadLedger ledger, boolean replace, List<TargetTables.ForeignKey> keys) {
        return of(manifest, ledger, replace, keys, 0);
    }

    /**
     * For tables the apply has just created from pre-data.sql: nothing needs emptying, but a table
     * loaded in one transaction (of at least {@link #FREEZE_MIN_BYTES}) is emptied in it anyway,
     * which costs nothing else and lets COPY write frozen rows (PartLoader).
     */
    static DataPlan forNewTables(Manifest manifest, LoadLedger ledger) {
        return of(manifest, ledger, true, List.of(), FREEZE_MIN_BYTES);
    }

    private static DataPlan of(Manifest manifest, LoadLedger ledger, boolean replace,
            List<TargetTables.ForeignKey> keys, long truncateMinBytes) {
        Map<Manifest.TableName, Manifest.TableName> unitOf = new LinkedHashMap<>();
        Map<Manifest.TableName, List<Manifest.TableEntry>> members = new LinkedHashMap<>();
        Map<Manifest.TableName, Long> unitBytes = new HashMap<>();
        for (Manifest.TableEntry table : manifest.tables()) {
            Manifest.TableName unit = table.parent() != null ? table.parent() : table.tableName();
            unitOf.put(table.tableName(), unit);
            members.computeIfAbsent(unit, u -> new ArrayList<>()).add(table);
            unitBytes.merge(unit, table.parts().stream().mapToLong(Manifest.PartEntry::bytes).sum(), Long::sum);
        }

        // Foreign keys between units, and the groups they link.
        Map<Manifest.TableName, Set<Manifest.TableName>> references = new HashMap<>();
        UnionFind<Manifest.TableName> linked = new UnionFind<>();
        List<String> outside = new ArrayList<>();
        for (TargetTables.ForeignKey key : keys) {
            boolean fromInside = members.containsKey(key.referencing());
            boolean toInside = members.containsKey(key.referenced());
            if (toInside && !fromInside && replace && !fullyLoaded(members.get(key.referenced()), ledger)) {
                outside.add(key.referencing().display() + " references " + key.referenced().display());
            }
            if (fromInside && toInside && !key.referencing().equals(key.referenced())) {
                references.computeIfAbsent(key.referencing(), k -> new LinkedHashSet<>()).add(key.referenced());
                linked.union(key.referencing(), key.referenced());
            }
        }
        if (!outside.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "replace would need TRUNCATE ... CASCADE, which apply never "
                    + "uses, because tables outside the snapshot reference it: " + SnapshotApply.listedText(outside),
                    "Nothing was changed. Drop those foreign keys (or include the referencing tables in the "
                    + "snapshot) and apply again.");
        }
        requireNoCycle(references);

        // Claims.
        Set<Manifest.TableName> claimedNow = new HashSet<>();
        List<List<Manifest.TableName>> claims = new ArrayList<>();
        Map<Manifest.TableName, List<Manifest.TableName>> groups = new LinkedHashMap<>();
        if (replace) {
            for (Manifest.TableName unit : members.keySet()) {
                if (linked.isLinked(unit)) {
                    groups.computeIfAbsent(linked.find(unit), g -> new ArrayList<>()).add(unit);
                }
            }
        }
        for (List<Manifest.TableName> units : groups.values()) {
            List<Manifest.TableName> group = new ArrayList<>();
            for (Manifest.TableName unit : units) {
                for (Manifest.TableEntry table : members.get(unit)) {
                    if (!ledger.touched(table)) {
                        group.add(table.tableName());
                    }
                }
            }
            if (!group.isEmpty()) {
                claims.add(group);
            }
            units.forEach(u -> members.get(u).forEach(t -> claimedNow.add(t.tableName())));
        }
        for (Manifest.TableEntry table : manifest.tables()) {
            if (table.parts().size() > 1 && !claimedNow.contains(table.tableName())) {
                claimedNow.add(table.tableName());
                if (!ledger.claimed(table.tableName()) && !ledger.touched(table)) {
                    claims.add(List.of(table.tableName()));
                }
            }
        }

        // Tasks.
        Map<Manifest.TableName, List<String>> taskIdsOfUnit = new HashMap<>();
        List<PartTask> pending = new ArrayList<>();
        List<Manifest.TableEntry> tables = manifest.tables();
        for (int t = 0; t < tables.size(); t++) {
            Manifest.TableEntry table = tables.get(t);
            boolean truncate = replace && !claimedNow.contains(table.tableName()) && !ledger.touched(table)
                    && table.parts().stream().mapToLong(Manifest.PartEntry::bytes).sum() >= truncateMinBytes;
            for (int p = 0; p < Math.max(1, table.parts().size()); p++) {
                if (ledger.partLoaded(table.tableName(), p)) {
                    continue;
                }
                String id = "table " + (t + 1) + " part " + p;
                long bytes = table.parts().isEmpty() ? 0 : table.parts().get(p).bytes();
                pending.add(new PartTask(id, table, p, truncate, bytes, Set.of()));
                taskIdsOfUnit.computeIfAbsent(unitOf.get(table.tableName()), u -> new ArrayList<>()).add(id);
            }
        }
        List<PartTask> tasks = new ArrayList<>();
        for (PartTask task : pending) {
            Set<String> after = new HashSet<>();
            for (Manifest.TableName referenced : references.getOrDefault(unitOf.get(task.table().tableName()),
                    Set.of())) {
                after.addAll(taskIdsOfUnit.getOrDefault(referenced, List.of()));
            }
            tasks.add(new PartTask(task.id(), task.table(), task.part(), task.truncate(), task.bytes(), after));
        }
        return new DataPlan(unitOf, unitBytes, List.copyOf(claims), List.copyOf(tasks));
    }

    /** The groups of tables to claim, each in one transaction. */
    List<List<Manifest.TableName>> claims() {
        return claims;
    }

    List<PartTask> tasks() {
        return tasks;
    }

    /** The partitioned root of a leaf partition; any other name unchanged. */
    Manifest.TableName unitOf(Manifest.TableName table) {
        return unitOf.getOrDefault(table, table);
    }

    long unitBytes(Manifest.TableName unit) {
        return unitBytes.getOrDefault(unit, 0L);
    }

    private static boolean fullyLoaded(List<Manifest.TableEntry> tables, LoadLedger ledger) {
        for (Manifest.TableEntry table : tables) {
            for (int p = 0; p < Math.max(1, table.parts().size()); p++) {
                if (!ledger.partLoaded(table.tableName(), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireNoCycle(Map<Manifest.TableName, Set<Manifest.TableName>> references) {
        Map<Manifest.TableName, Integer> state = new HashMap<>();
        for (Manifest.TableName start : references.keySet()) {
            List<Manifest.TableName> path = new ArrayList<>();
            if (cycleFrom(start, references, state, path)) {
                throw new SteepReplException(ErrorCode.ERROR, "the target's foreign keys form a cycle ("
                        + String.join(" -> ", path.stream().map(Manifest.TableName::display).toList())
                        + "), so no table of it can be loaded first", "Nothing was changed. Apply into a database "
                        + "without the snapshot's tables (the schema is then built and the foreign keys are added "
                        + "after the data), or drop these foreign keys for the apply.");
            }
        }
    }

    /** Depth-first search; state 1 = on the current path, 2 = done. */
    private static boolean cycleFrom(Manifest.TableName node, Map<Manifest.TableName, Set<Manifest.TableName>> edges,
            Map<Manifest.TableName, Integer> state, List<Manifest.TableName> path) {
        Integer seen = state.get(node);
        if (seen != null) {
            if (seen == 1) {
                path.subList(0, path.indexOf(node)).clear();
                path.add(node);
                return true;
            }
            return false;
        }
        state.put(node, 1);
        path.add(node);
        for (Manifest.TableName next : edges.getOrDefault(node, Set.of())) {
            if (cycleFrom(next, edges, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return false;
    }

    /** Minimal union-find over names. */
    private static final class UnionFind<T> {
        private final Map<T, T> parent = new HashMap<>();

        T find(T x) {
            T p = parent.getOrDefault(x, x);
            if (p.equals(x)) {
                return x;
            }
            T root = find(p);
            parent.put(x, root);
            return root;
        }

        void union(T a, T b) {
            T ra = find(a);
            T rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(ra, rb);
            }
            parent.putIfAbsent(rb, rb);
        }

        boolean isLinked(T x) {
            return parent.containsKey(x);
        }
    }
}
