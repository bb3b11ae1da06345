package io.steep.repl.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule of steep_repl.snapshot_dir, as SQL's check_snapshot_path applies it, plus real paths. */
class SnapshotPathsTest {

    @Test
    void aPathInsideTheDirectoryBothAsNamedAndForRealIsGranted(@TempDir Path tmp) throws Exception {
        Path open = Files.createDirectory(tmp.toRealPath().resolve("open"));
        Path snap = open.resolve("snap");

        assertThat(SnapshotPaths.insideSnapshotDir(snap, snap, open.toString())).isTrue();
        assertThat(SnapshotPaths.insideSnapshotDir(snap, snap, open + "/")).isTrue();
        assertThat(SnapshotPaths.insideSnapshotDir(open, open, open.toString())).isFalse();
        assertThat(SnapshotPaths.insideSnapshotDir(snap, snap, null)).isFalse();
    }

    @Test
    void theRootDirectoryOrAnUnusableSettingGrantsNothing(@TempDir Path tmp) throws Exception {
        Path snap = tmp.toRealPath().resolve("snap");

        for (String setting : new String[] {"/", "//", "relative/dir", tmp + "/../" + tmp.getFileName(), ""}) {
            assertThat(SnapshotPaths.insideSnapshotDir(snap, snap, setting)).as(setting).isFalse();
        }
    }

    @Test
    void aSymlinkOnEitherSideLeadsNowhereOutside(@TempDir Path tmp) throws Exception {
        Path base = tmp.toRealPath();
        Path open = Files.createDirectory(base.resolve("open"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.createSymbolicLink(open.resolve("escape"), outside);
        Path viaLink = open.resolve("escape").resolve("snap");

        // named inside, but really outside
        assertThat(SnapshotPaths.insideSnapshotDir(viaLink, outside.resolve("snap"), open.toString())).isFalse();
        // really inside, but named outside (SQL would refuse it): refused here too
        Path alias = Files.createSymbolicLink(base.resolve("alias"), open);
        assertThat(SnapshotPaths.insideSnapshotDir(open.resolve("snap"), open.resolve("snap"), alias.toString()))
                .isFalse();
        assertThat(SnapshotPaths.insideSnapshotDir(alias.resolve("snap"), open.resolve("snap"), alias.toString()))
                .isTrue();
    }
}
