package io.steep.repl.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/daemon.md documents every key, its variable and the defaults, from the one table of keys. */
class DaemonDocsTest {
    @Test
    void theConfigReferenceListsEveryKeyWithItsVariable() throws IOException {
        String docs = Files.readString(Path.of("..", "..", "docs", "daemon.md"));

        for (ConfigKey key : ConfigKey.values()) {
            assertThat(docs).as(key.path()).contains("`" + key.path() + "`").contains("`" + key.environmentVariable() + "`");
        }
        assertThat(docs).contains(Integer.toString(DaemonDefaults.GRPC_PORT)).contains(Integer.toString(DaemonDefaults.HTTP_PORT))
                .contains(DaemonDefaults.ADDRESS).contains(DaemonDefaults.SYSTEM_SOCKET_DIR.resolve(DaemonDefaults.SOCKET_NAME).toString());
    }
}
