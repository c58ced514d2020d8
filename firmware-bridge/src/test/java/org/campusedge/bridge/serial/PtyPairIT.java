package org.campusedge.bridge.serial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PtyPairIT {

    @TempDir
    Path dir;

    @Test
    void open_creates_both_links_to_ptys_and_close_kills_socat_and_removes_them() throws Exception {
        assumeTrue(PtyPair.isSocatAvailable(), "socat is not installed");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        PtyPair pty = PtyPair.open(a, b);
        long pid = pty.pid();
        try {
            assertThat(a.toRealPath().toString()).startsWith("/dev/pts/");
            assertThat(b.toRealPath().toString()).startsWith("/dev/pts/");
            assertThat(pty.isAlive()).isTrue();
        } finally {
            pty.close();
        }
        assertThat(pty.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(a, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(b, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void reopening_with_the_same_paths_replaces_stale_links_and_a_second_close_leaves_the_new_pair_alone() throws Exception {
        assumeTrue(PtyPair.isSocatAvailable(), "socat is not installed");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createSymbolicLink(a, dir.resolve("nowhere"));
        PtyPair first = PtyPair.open(a, b);
        first.close();
        try (PtyPair second = PtyPair.open(a, b)) {
            first.close();
            assertThat(second.isAlive()).isTrue();
            assertThat(a.toRealPath().toString()).startsWith("/dev/pts/");
        }
    }
}
