package io.steep.repl.snapshot.apply;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * For an apply into tables that existed before it: which of the snapshot's keys, constraints and
 * indexes (post-data sections of the INDEXES and FOREIGN_KEYS stages) the target lacks, and
 * whether the submitter may build them: only a table's owner may, and an index (a primary or
 * unique key's too) also needs CREATE on the table's schema. An apply never reports
 * complete while the target lacks one of them: it builds what is missing, or refuses before it
 * changes anything.
 */
final class MissingKeys {
    private static final String INDEX_EXISTS = "SELECT EXISTS (SELECT FROM pg_catalog.pg_class c "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('i', 'I'))";
    private static final String CONSTRAINT_EXISTS = "SELECT EXISTS (SELECT FROM pg_catalog.pg_constraint k "
            + "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relname = ? AND k.conname = ?)";
    private static final String OWNS = "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    private static final String CREATES_IN = "SELECT pg_catalog.has_schema_privilege(n.oid, 'CREATE') "
            + "FROM pg_catalog.pg_namespace n WHERE n.nspname = ?";

    private MissingKeys() {
    }

    /** The indexes of the sections whose object is missing, in script order. */
    static Set<Integer> of(Connection connection, PostDataScript script) throws SQLException {
        Set<Integer> missing = new TreeSet<>();
        List<PostDataScript.Section> sections = script.sections();
        for (int i = 0; i < sections.size(); i++) {
            PostDataScript.Section section = sections.get(i);
            PostDataScript.Stage stage = section.stage();
            if ((stage == PostDataScript.Stage.INDEXES || stage == PostDataScript.Stage.FOREIGN_KEYS)
                    && section.table().isPresent() && !exists(connection, section, section.table().get())) {
                missing.add(i);
            }
        }
        return missing;
    }

    /** Every section but the missing ones: what a run into an existing schema treats as built. */
    static Set<Integer> present(PostDataScript script, Set<Integer> missing) {
        Set<Integer> present = new TreeSet<>();
        for (int i = 0; i < script.sections().size(); i++) {
            if (!missing.contains(i)) {
                present.add(i);
            }
        }
        return present;
    }

    /** Refuses, before anything changes, when the submitter may not build one that is missing. */
    static void requireBuildable(Connection connection, PostDataScript script, Set<Integer> missing)
            throws SQLException {
        Set<String> lacking = new LinkedHashSet<>();
        List<String> objects = new ArrayList<>();
        for (int i : missing) {
            PostDataScript.Section section = script.sections().get(i);
            Manifest.TableName table = section.table().orElseThrow();
            boolean owner = owns(connection, table);
            boolean creates = section.stage() != PostDataScript.Stage.INDEXES
                    || query(connection, CREATES_IN, table.schema());
            if (!owner) {
                lacking.add("ownership of " + table.display());
            }
            if (!creates) {
                lacking.add("CREATE on schema " + table.schema());
            }
            if (!owner || !creates) {
                objects.add(section.type().toLowerCase(Locale.ROOT) + " " + section.name());
            }
        }
        if (!objects.isEmpty()) {
            throw new SteepReplException(ErrorCode.ERROR, "the target lacks " + objects.size()
                    + " of the snapshot's keys, constraints or indexes (" + String.join(", ", objects)
                    + ") and building them needs " + String.join(", ", lacking),
                    "Nothing was changed. Build them as the tables' owner (the snapshot's schema/post-data.sql "
                            + "holds their definitions), or give the applying role what is named and apply again.",
                    "42501", null);
        }
    }

    private static boolean exists(Connection connection, PostDataScript.Section section, Manifest.TableName table)
            throws SQLException {
        if (section.type().equals("INDEX")) {
            return query(connection, INDEX_EXISTS, table.schema(), section.name());
        }
        // pg_dump names a constraint "<table> <constraint>"
        String prefix = table.name() + " ";
        String constraint = section.name().startsWith(prefix) ? section.name().substring(prefix.length()) : section.name();
        return query(connection, CONSTRAINT_EXISTS, table.schema(), table.name(), constraint);
    }

    private static boolean owns(Connection connection, Manifest.TableName table) throws SQLException {
        return query(connection, OWNS, table.schema(), table.name());
    }

    private static boolean query(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
