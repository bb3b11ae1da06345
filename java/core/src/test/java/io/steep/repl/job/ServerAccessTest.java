package io.steep.repl.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerAccessTest {

    @Test
    void aSubprocessConnectsAsTheSuperuserAndAssumesTheSubmitterRole() {
        Map<String, String> env = new ServerAccess("/run/pg", 5433, "shop", "postgres", "alice")
                .libpqEnvironment("steep_repl job 7 pg_dump");

        assertThat(env).containsEntry("PGHOST", "/run/pg").containsEntry("PGPORT", "5433")
                .containsEntry("PGDATABASE", "shop").containsEntry("PGUSER", "postgres")
                .containsEntry("PGAPPNAME", "steep_repl job 7 pg_dump").containsEntry("PGOPTIONS", "-c role=alice");
    }

    @Test
    void blanksAndBackslashesInTheRoleAreEscapedForLibpq() {
        assertThat(ServerAccess.escapeOption("we ird\\x")).isEqualTo("we\\ ird\\\\x");
    }
}
