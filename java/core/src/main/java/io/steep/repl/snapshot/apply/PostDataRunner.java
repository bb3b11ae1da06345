package io.steep.repl.snapshot.apply;

import io.steep.repl.snapshot.manifest.Manifest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Builds what {@code post-data.sql} defines once the data is in: indexes and keys in parallel
 * (one table, with its partitions, per connection at a time, so they never wait on each
 * other's locks), then partition index attachments, then foreign keys in parallel (the keys
 * they reference exist by then), then everything else in script order. Each object is built
 * in its own transaction together with its ledger row, so a rerun builds only what is missing.
 */
final class PostDataRunner {
    /** Foreign keys lock both of their tables; two of them can deadlock, and a retry then succeeds. */
    private static final int DEADLOCK_ATTEMPTS = 5;
    private static final String DEADLOCK = "40P01";
    private static final Pattern ROW_SECURITY = Pattern.compile(
            "^\\s*SET\\s+row_security\\s*=.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final PostDataScript script;
    private final LoadLedger ledger;
    private final ApplyProgress progress;
    private final ConnectionSource connections;
    private final int parallel;
    private final BooleanSupplier cancelled;
    private final AtomicInteger built = new AtomicInteger();
    private final int total;
    private final Set<Integer> present;

    /**
     * @param present sections whose objects the target had before this apply (see
     *                {@link MissingKeys}); they are not built again
     */
    PostDataRunner(PostDataScript script, LoadLedger ledger, Set<Integer> present, ApplyProgress progress,
            ConnectionSource connections, int parallel, BooleanSupplier cancelled) {
        this.script = script;
        this.ledger = ledger;
        this.present = Set.copyOf(present);
        this.progress = progress;
        this.connections = purpose -> withPreamble(connections.open(purpose));
        this.parallel = parallel;
        this.cancelled = cancelled;
        this.total = script.sections().size();
        for (int i = 0; i < total; i++) {
            if (alreadyBuilt(i)) {
                built.incrementAndGet();
            }
        }
    }

    /**
     * The index builds, one task per unit (its indexes, primary key and unique constraints), each
     * after the unit's own data is loaded, so they run beside the loads of other tables.
     *
     * @param rootOf     the unit a table's indexes are built in: a leaf partition's root, else the table
     * @param tableBytes the data size of a unit, so the largest tables start first
     * @param loadsOf    the ids of the load tasks of each unit
     * @return the tasks, with ids {@link #indexTaskId(Manifest.TableName)}
     */
    List<TaskPool.Task> indexTasks(Function<Manifest.TableName, Manifest.TableName> rootOf,
            ToLongFunction<Manifest.TableName> tableBytes, Map<Manifest.TableName, Set<String>> loadsOf) {
        Map<Manifest.TableName, List<Integer>> byTable = new LinkedHashMap<>();
        List<PostDataScript.Section> sections = script.sections();
        for (int i = 0; i < sections.size(); i++) {
            PostDataScript.Section section = sections.get(i);
            if (section.stage() == PostDataScript.Stage.INDEXES && !alreadyBuilt(i)) {
                Manifest.TableName unit = section.table().map(rootOf).orElse(new Manifest.TableName("", "#" + i));
                byTable.computeIfAbsent(unit, k -> new ArrayList<>()).add(i);
            }
        }
        List<TaskPool.Task> tasks = new ArrayList<>();
        byTable.forEach((unit, indexes) -> tasks.add(new TaskPool.Task(indexTaskId(unit),
                loadsOf.getOrDefault(unit, Set.of()), tableBytes.applyAsLong(unit), c -> build(c, indexes))));
        return tasks;
    }

    static String indexTaskId(Manifest.TableName unit) {
        return "indexes " + unit.display();
    }

    /** The rest, once every table is loaded and indexed: attached partitions, foreign keys, the others. */
    void finish() throws Exception {
        progress.phase("post-data", null);
        progress.percent(built.get() * 100.0 / Math.max(1, total), null);
        List<Integer> attach = new ArrayList<>();
        List<Integer> foreignKeys = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        List<PostDataScript.Section> sections = script.sections();
        for (int i = 0; i < sections.size(); i++) {
            if (alreadyBuilt(i)) {
                continue;
            }
            switch (sections.get(i).stage()) {
                case INDEXES -> {
                    // built by the index tasks
                }
                case ATTACH -> attach.add(i);
                case FOREIGN_KEYS -> foreignKeys.add(i);
                case OTHER -> other.add(i);
                default -> throw new IllegalStateException(sections.get(i).stage().toString());
            }
        }
        inOrder("attach", attach);
        List<TaskPool.Task> fkTasks = new ArrayList<>();
        for (int i : foreignKeys) {
            fkTasks.add(new TaskPool.Task("foreign key " + i, Set.of(), 0, c -> build(c, List.of(i))));
        }
        pool(parallel).run(fkTasks);
        inOrder("other", other);
    }

    /** Built by an earlier attempt, or there before the apply (counted once, when the run starts). */
    private boolean alreadyBuilt(int section) {
        return present.contains(section) || ledger.postBuilt(section);
    }

    private void inOrder(String name, List<Integer> sections) throws Exception {
        if (!sections.isEmpty()) {
            pool(1).run(List.of(new TaskPool.Task(name, Set.of(), 0, c -> build(c, sections))));
        }
    }

    private TaskPool pool(int threads) {
        return new TaskPool(connections, threads, cancelled, "post-data");
    }

    /**
     * pg_dump's session settings (search_path, ...) on every connection that builds objects, but
     * row_security: pg_dump turns it off for loading data, which post-data has none of, and with
     * it off a role that is no superuser could not write its own ledger rows (snapshot_loads has
     * row-level security).
     */
    private Connection withPreamble(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : script.preamble()) {
                if (!ROW_SECURITY.matcher(sql).matches()) {
                    s.execute(sql);
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void build(Connection connection, List<Integer> indexes) throws SQLException {
        for (int i : indexes) {
            PostDataScript.Section section = script.sections().get(i);
            for (int attempt = 1; ; attempt++) {
                try {
                    buildOne(connection, i, section);
                    break;
                } catch (SQLException e) {
                    if (!DEADLOCK.equals(e.getSQLState()) || attempt >= DEADLOCK_ATTEMPTS) {
                        throw new SQLException("building " + section.type().toLowerCase(java.util.Locale.ROOT) + " "
                                + section.name() + " from post-data.sql failed: " + e.getMessage(), e.getSQLState(), e);
                    }
                }
            }
            progress.postDataBuilt(built.incrementAndGet() * 100.0 / Math.max(1, total), section.name());
        }
    }

    private void buildOne(Connection connection, int index, PostDataScript.Section section) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String sql : section.sql()) {
                s.execute(sql);
            }
            ledger.record(connection, LoadLedger.POST, null, index, null);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
