package io.steep.repl.snapshot.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPlanTest {
    private static final Manifest.TableName ORDERS = new Manifest.TableName("public", "orders");
    private static final Manifest.TableName CUSTOMERS = new Manifest.TableName("public", "customers");
    private static final Manifest.TableName LOG = new Manifest.TableName("public", "log");
    private static final Manifest.TableName OUTSIDE = new Manifest.TableName("other", "audit");

    @Test
    void anUnsplitTableIsTruncatedInItsLoadOnlyWithReplace() {
        Manifest manifest = manifest(table(LOG, 1));

        assertThat(DataPlan.of(manifest, LoadLedger.empty("s"), false, List.of()).tasks())
                .singleElement().extracting(DataPlan.PartTask::truncate).isEqualTo(false);
        DataPlan replace = DataPlan.of(manifest, LoadLedger.empty("s"), true, List.of());
        assertThat(replace.tasks()).singleElement().extracting(DataPlan.PartTask::truncate).isEqualTo(true);
        assertThat(replace.claims()).isEmpty();
    }

    @Test
    void aNewTableIsEmptiedInItsLoadForFrozenRowsOnlyFromTheSizeWhereThatPays() {
        Manifest manifest = manifest(sized(LOG, DataPlan.FREEZE_MIN_BYTES - 1), sized(CUSTOMERS,
                DataPlan.FREEZE_MIN_BYTES), table(ORDERS, 3));

        DataPlan plan = DataPlan.forNewTables(manifest, LoadLedger.empty("s"));

        assertThat(plan.tasks()).filteredOn(t -> t.table().tableName().equals(LOG))
                .singleElement().extracting(DataPlan.PartTask::truncate).isEqualTo(false);
        assertThat(plan.tasks()).filteredOn(t -> t.table().tableName().equals(CUSTOMERS))
                .singleElement().extracting(DataPlan.PartTask::truncate).isEqualTo(true);
        assertThat(plan.tasks()).filteredOn(t -> t.table().tableName().equals(ORDERS))
                .hasSize(3).allMatch(t -> !t.truncate());
        assertThat(plan.claims()).containsExactly(List.of(ORDERS));
    }

    @Test
    void replaceEmptiesATableHoweverSmall() {
        DataPlan plan = DataPlan.of(manifest(sized(LOG, 1)), LoadLedger.empty("s"), true, List.of());

        assertThat(plan.tasks()).singleElement().extracting(DataPlan.PartTask::truncate).isEqualTo(true);
    }

    @Test
    void aSplitTableIsClaimedOnceAndItsPartsLoadWithoutTruncate() {
        DataPlan plan = DataPlan.of(manifest(table(ORDERS, 3)), LoadLedger.empty("s"), true, List.of());

        assertThat(plan.claims()).containsExactly(List.of(ORDERS));
        assertThat(plan.tasks()).hasSize(3).allMatch(t -> !t.truncate());
    }

    @Test
    void tablesLinkedByForeignKeysAreTruncatedTogetherAndLoadedReferencedFirst() {
        Manifest manifest = manifest(table(ORDERS, 1), table(CUSTOMERS, 1), table(LOG, 1));
        List<TargetTables.ForeignKey> keys = List.of(new TargetTables.ForeignKey(ORDERS, CUSTOMERS));

        DataPlan plan = DataPlan.of(manifest, LoadLedger.empty("s"), true, keys);

        assertThat(plan.claims()).hasSize(1);
        assertThat(plan.claims().get(0)).containsExactlyInAnyOrder(ORDERS, CUSTOMERS);
        DataPlan.PartTask orders = task(plan, ORDERS);
        assertThat(orders.truncate()).isFalse();
        assertThat(orders.dependsOn()).containsExactly(task(plan, CUSTOMERS).id());
        assertThat(task(plan, LOG).truncate()).isTrue();
    }

    @Test
    void replaceRefusesWhenATableOutsideTheSnapshotReferencesOneInside() {
        Manifest manifest = manifest(table(CUSTOMERS, 1));
        List<TargetTables.ForeignKey> keys = List.of(new TargetTables.ForeignKey(OUTSIDE, CUSTOMERS));

        assertThatThrownBy(() -> DataPlan.of(manifest, LoadLedger.empty("s"), true, keys))
                .hasMessageContaining("other.audit references public.customers").hasMessageContaining("CASCADE");
        assertThat(DataPlan.of(manifest, LoadLedger.empty("s"), false, keys).tasks()).hasSize(1);
    }

    @Test
    void aCycleOfForeignKeysIsRefused() {
        Manifest manifest = manifest(table(ORDERS, 1), table(CUSTOMERS, 1));
        List<TargetTables.ForeignKey> keys = List.of(new TargetTables.ForeignKey(ORDERS, CUSTOMERS),
                new TargetTables.ForeignKey(CUSTOMERS, ORDERS));

        assertThatThrownBy(() -> DataPlan.of(manifest, LoadLedger.empty("s"), false, keys))
                .hasMessageContaining("cycle");
    }

    @Test
    void aPartitionCountsAsItsRoot() {
        Manifest.TableName root = new Manifest.TableName("public", "events");
        Manifest.TableName leaf = new Manifest.TableName("public", "events_2026");
        Manifest manifest = manifest(new Manifest.TableEntry(leaf.schema(), leaf.name(), root, List.of("id"), 1,
                parts(1)), table(LOG, 1));
        List<TargetTables.ForeignKey> keys = List.of(new TargetTables.ForeignKey(LOG, root));

        DataPlan plan = DataPlan.of(manifest, LoadLedger.empty("s"), false, keys);

        assertThat(plan.unitOf(leaf)).isEqualTo(root);
        assertThat(task(plan, LOG).dependsOn()).containsExactly(task(plan, leaf).id());
    }

    private static DataPlan.PartTask task(DataPlan plan, Manifest.TableName table) {
        return plan.tasks().stream().filter(t -> t.table().tableName().equals(table)).findFirst().orElseThrow();
    }

    private static Manifest.TableEntry table(Manifest.TableName name, int parts) {
        return new Manifest.TableEntry(name.schema(), name.name(), null, List.of("id"), parts, parts(parts));
    }

    /** One part of the given size. */
    private static Manifest.TableEntry sized(Manifest.TableName name, long bytes) {
        return new Manifest.TableEntry(name.schema(), name.name(), null, List.of("id"), 1, List.of(
                new Manifest.PartEntry("data/" + name.name(), null, null, 1, bytes, bytes, ChecksumAlgorithm.CRC32C,
                        "0".repeat(8))));
    }

    private static List<Manifest.PartEntry> parts(int n) {
        List<Manifest.PartEntry> parts = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            parts.add(new Manifest.PartEntry("data/x." + p, null, null, 1, 10, 10, ChecksumAlgorithm.CRC32C,
                    "0".repeat(8)));
        }
        return parts;
    }

    private static Manifest manifest(Manifest.TableEntry... tables) {
        return new Manifest(1, "snap_20260101_000000_00000000", null, null, null, null, CompressionSpec.NONE, null,
                List.of(tables), List.of(), null);
    }
}
