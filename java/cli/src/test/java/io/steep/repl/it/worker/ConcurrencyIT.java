package io.steep.repl.it.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.testkit.PgCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many jobs submitted at once from several sessions: every one ends, and the worker never runs
 * more of them at a time than steep_repl.max_concurrent_jobs, judged from the recorded
 * started_at / finished_at of each run. The limit only grows from test to test, so a worker
 * that applies a reload a moment late can never exceed the limit under test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrencyIT {
    private static final int SESSIONS = 5;
    private static final int JOBS_PER_SESSION = 10;
    private static final String SHORT_SLEEP = "{\"steps\": 2, \"step_ms\": 40}";

    private static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = WorkQueueSupport.startCluster("concurrency");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private record Run(OffsetDateTime start, OffsetDateTime end) {
    }

    @Test
    @Order(1)
    void oneAtATimeWhenTheLimitIsOne() throws Exception {
        setLimit(1);

        List<Long> jobs = submitConcurrently();

        awaitAllFinal(jobs);
        assertThat(statuses(jobs)).containsOnly("complete");
        assertThat(maxOverlap(runs(jobs))).isEqualTo(1);
    }

    @Test
    @Order(2)
    void atMostTwoAtOnceWhenTheLimitIsTwo() throws Exception {
        setLimit(2);

        List<Long> jobs = submitConcurrently();

        awaitAllFinal(jobs);
        assertThat(statuses(jobs)).containsOnly("complete");
        assertThat(maxOverlap(runs(jobs))).isEqualTo(2);
    }

    private static void setLimit(int limit) {
        cluster.set("steep_repl.max_concurrent_jobs", Integer.toString(limit));
        PgCluster.waitFor(Duration.ofSeconds(10),
                () -> cluster.queryString("SHOW steep_repl.max_concurrent_jobs").equals(Integer.toString(limit)),
                "the new limit to apply");
    }

    private static List<Long> submitConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<Callable<List<Long>>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                sessions.add(() -> {
                    List<Long> ids = new ArrayList<>();
                    try (Connection c = cluster.connect()) {
                        for (int j = 0; j < JOBS_PER_SESSION; j++) {
                            ids.add(WorkQueueSupport.submit(c, "test.sleep", SHORT_SLEEP, 1));
                        }
                    }
                    return ids;
                });
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> ids : pool.invokeAll(sessions)) {
                all.addAll(ids.get());
            }
            assertThat(all).hasSize(SESSIONS * JOBS_PER_SESSION).doesNotHaveDuplicates();
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitAllFinal(List<Long> jobs) {
        String ids = idList(jobs);
        PgCluster.waitFor(Duration.ofSeconds(120), () -> cluster.queryLong(
                "SELECT count(*) FROM steep_repl.work_queue WHERE id IN (" + ids + ") "
                        + "AND status IN ('complete', 'failed', 'cancelled')") == jobs.size(),
                "all " + jobs.size() + " jobs to end");
    }

    private static List<String> statuses(List<Long> jobs) {
        return cluster.query("postgres", "SELECT status FROM steep_repl.work_queue WHERE id IN (" + idList(jobs) + ")")
                .stream().map(row -> row.get(0)).toList();
    }

    private static List<Run> runs(List<Long> jobs) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = cluster.connect(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT started_at, finished_at FROM steep_repl.work_queue WHERE id IN ("
                        + idList(jobs) + ")")) {
            while (rs.next()) {
                runs.add(new Run(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)));
            }
        }
        return runs;
    }

    /** The largest number of runs in progress at one instant (touching ends do not overlap). */
    private static int maxOverlap(List<Run> runs) {
        List<long[]> edges = new ArrayList<>();
        for (Run run : runs) {
            assertThat(run.start()).isNotNull();
            assertThat(run.end()).isAfterOrEqualTo(run.start());
            edges.add(new long[] {micros(run.start()), +1});
            edges.add(new long[] {micros(run.end()), -1});
        }
        // At equal times process ends first, so back-to-back runs count as sequential.
        Collections.sort(edges, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }

    private static long micros(OffsetDateTime t) {
        return t.toEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    private static String idList(List<Long> jobs) {
        return String.join(",", jobs.stream().map(String::valueOf).toList());
    }
}
