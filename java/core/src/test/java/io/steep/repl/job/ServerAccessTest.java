package io.steep.repl.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.jdbc.PinnedSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerAccessTest {
    private final ServerAccess access = new ServerAccess("/run/pg", 5433, "shop", "postgres", "we ird\\x", 7);

    @Test
    void pgDumpConnectsAsTheSuperuserWithPinnedSettingsAndTheSubmitterRole() {
        Map<String, String> env = access.libpqEnvironment("steep_repl job 7 pg_dump");

        assertThat(env).containsEntry("PGHOST", "/run/pg").containsEntry("PGPORT", "5433")
                .containsEntry("PGDATABASE", "shop").containsEntry("PGUSER", "postgres")
                .containsEntry("PGAPPNAME", "steep_repl job 7 pg_dump");
        assertThat(env.get("PGOPTIONS")).startsWith("-c search_path=pg_catalog,pg_temp ")
                .contains("-c default_transaction_isolation=read\\ committed")
                .endsWith(" -c role=we\\ ird\\\\x");
    }

    @Test
    void aScriptSessionHasNoRoleUntilItEntersTheJobByItsId() {
        Map<String, String> env = access.scriptEnvironment("steep_repl job 7 schema");

        assertThat(env.get("PGOPTIONS")).isEqualTo(PinnedSettings.startupOptions()).doesNotContain("role=");
        assertThat(access.enterStatement()).contains("_enter_job_role").contains("q.id = 7 ");
    }

    @Test
    void blanksAndBackslashesInAnOptionAreEscapedForLibpq() {
        assertThat(PinnedSettings.escape("we ird\\x")).isEqualTo("we\\ ird\\\\x");
    }
}
