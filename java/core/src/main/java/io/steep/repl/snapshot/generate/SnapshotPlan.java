package io.steep.repl.snapshot.generate;

import io.steep.repl.snapshot.manifest.DataFormat;
import io.steep.repl.snapshot.manifest.Manifest.TableName;
import java.util.List;

/**
 * What one generate run copies, decided inside the exported snapshot.
 *
 * @param tables      data tables in manifest order (numbered from 1)
 * @param sequences   sequences whose values the manifest records
 * @param dumpTables  when the run is limited to some tables: those tables and their partitioned
 *                    ancestors, for pg_dump's table selection; empty otherwise
 */
record SnapshotPlan(List<Table> tables, List<TableName> sequences, List<TableName> dumpTables) {

    /**
     * @param number        1-based position in the manifest
     * @param parent        the partitioned root of a leaf partition, else null
     * @param columns       copied columns in order (generated ones excluded)
     * @param relationBytes pg_relation_size at planning time
     * @param dataFormat    what its parts are written in
     * @param columnTypes   the type of each column's binary form, for the manifest
     */
    record Table(int number, TableName name, TableName parent, List<String> columns, long relationBytes,
            List<Part> parts, DataFormat dataFormat, List<String> columnTypes) {
        String display() {
            return name.display();
        }
    }

    /**
     * @param ctidFrom       inclusive lower bound, null for an unsplit table
     * @param ctidTo         exclusive upper bound, null for "to the end"
     * @param estimatedBytes the part's share of the relation size, for progress
     */
    record Part(int table, int part, String ctidFrom, String ctidTo, long estimatedBytes) {
        boolean isSplit() {
            return ctidFrom != null;
        }
    }

    long estimatedBytes() {
        return tables.stream().mapToLong(Table::relationBytes).sum();
    }
}
