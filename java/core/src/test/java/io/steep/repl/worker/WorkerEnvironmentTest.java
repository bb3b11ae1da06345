package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerEnvironmentTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("STEEP_PGHOST", "/tmp/sock");
        env.put("STEEP_PGPORT", "55432");
        env.put("STEEP_PGDATABASE", "my db");
        env.put("STEEP_PGUSER", "postgres");
        env.put("STEEP_SUPERVISOR_PID", "1234");
        env.put("STEEP_FORK_EPOCH_US", "1700000000123456");
        env.put("STEEP_ORPHAN_REASON", "java worker exited (exit code 1) while the job was running");
        return env;
    }

    @Test
    void readsTheSupervisorsVariables() {
        WorkerEnvironment env = WorkerEnvironment.from(complete());

        assertThat(env).isEqualTo(new WorkerEnvironment("/tmp/sock", 55432, "my db", "postgres", 1234, 1700000000123456L,
                "java worker exited (exit code 1) while the job was running"));
        assertThat(env.socketPath()).isEqualTo("/tmp/sock/.s.PGSQL.55432");
    }

    @Test
    void withoutAnOrphanReasonJobsLeftRunningHearThatTheWorkerRestarted() {
        Map<String, String> vars = complete();
        vars.remove("STEEP_ORPHAN_REASON");

        assertThat(WorkerEnvironment.from(vars).orphanReason())
                .isEqualTo("java worker restarted while the job was running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"STEEP_PGHOST", "STEEP_PGPORT", "STEEP_PGDATABASE", "STEEP_PGUSER",
            "STEEP_SUPERVISOR_PID", "STEEP_FORK_EPOCH_US"})
    void aMissingVariableSaysTheSupervisorStartsTheWorker(String name) {
        Map<String, String> env = complete();
        env.remove(name);

        assertThatThrownBy(() -> WorkerEnvironment.from(env))
                .isInstanceOfSatisfying(SteepReplException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("environment variable " + name + " is not set");
                    assertThat(e.hint()).contains("started by the steep_repl supervisor");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "port", "-1", ""})
    void rejectsAnInvalidPort(String port) {
        Map<String, String> env = complete();
        env.put("STEEP_PGPORT", port);

        assertThatThrownBy(() -> WorkerEnvironment.from(env))
                .isInstanceOf(SteepReplException.class)
                .hasMessageContaining("STEEP_PGPORT");
    }

    @Test
    void rejectsARelativeSocketDirectory() {
        Map<String, String> env = complete();
        env.put("STEEP_PGHOST", "localhost");

        assertThatThrownBy(() -> WorkerEnvironment.from(env))
                .isInstanceOf(SteepReplException.class)
                .hasMessage("environment variable STEEP_PGHOST is 'localhost', expected an absolute socket directory");
    }
}
