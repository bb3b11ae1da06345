package io.steep.repl.snapshot.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
    private static final String SECRET = "only the server's OS user may read this";

    @Test
    void readsARegularFileInsideTheDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/0001.0000.copy"), "1\n");

        assertThat(SnapshotFiles.readAllBytes(dir, "data/0001.0000.copy")).isEqualTo("1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(SnapshotFiles.checked(dir, "data/0001.0000.copy")).isEqualTo(dir.resolve("data/0001.0000.copy"));
        assertThatThrownBy(() -> SnapshotFiles.open(dir, "data/0002.0000.copy")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void refusesNamesThatLeaveTheDirectory(@TempDir Path dir) {
        for (String name : new String[] {"../x", "/etc/passwd", "data/../../x", "./x", "data//x", "", "data/"}) {
            assertThat(SnapshotFiles.isSafeName(name)).as(name).isFalse();
            assertThatThrownBy(() -> SnapshotFiles.open(dir, name)).as(name)
                    .isInstanceOf(SnapshotFiles.UnsafeFileException.class);
            assertThatThrownBy(() -> SnapshotFiles.checked(dir, name)).as(name)
                    .isInstanceOf(SnapshotFiles.UnsafeFileException.class);
        }
    }

    @Test
    void neverFollowsALinkAsTheFileOrOnItsPathAndNeverQuotesTheTarget(@TempDir Path dir, @TempDir Path outside)
            throws Exception {
        Path secret = Files.writeString(outside.resolve("secret"), SECRET);
        Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(dir.resolve("data/0001.0000.copy"), secret);
        Files.createSymbolicLink(dir.resolve("schema"), outside);
        Files.createDirectories(dir.resolve("sub"));

        for (String name : new String[] {"data/0001.0000.copy", "schema/secret", "sub", "data"}) {
            assertThatThrownBy(() -> SnapshotFiles.readAllBytes(dir, name)).as(name)
                    .isInstanceOf(SnapshotFiles.UnsafeFileException.class)
                    .hasMessageNotContaining(SECRET);
            assertThatThrownBy(() -> SnapshotFiles.checked(dir, name)).as(name)
                    .isInstanceOf(SnapshotFiles.UnsafeFileException.class);
        }
        assertThatThrownBy(() -> SnapshotFiles.open(dir, "schema/secret"))
                .hasMessageContaining("a directory on its path is a symbolic link");
    }
}
