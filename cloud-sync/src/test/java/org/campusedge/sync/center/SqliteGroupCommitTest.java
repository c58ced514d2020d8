package org.campusedge.sync.center;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteGroupCommitTest {

    @TempDir
    Path dir;

    private Connection db;
    private SqliteGroupCommit writes;
    private final Object monitor = new Object();

    @BeforeEach
    void open() throws Exception {
        db = SqliteFiles.connect(dir.resolve("g.db"));
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
        }
        writes = new SqliteGroupCommit(db, monitor, "g.db");
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private int insert(int k) throws SQLException {
        try (Statement s = db.createStatement()) {
            return s.executeUpdate("INSERT INTO t (k) VALUES (" + k + ")");
        }
    }

    private List<Integer> keys() throws SQLException {
        List<Integer> keys = new ArrayList<>();
        synchronized (monitor) {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY k")) {
                while (rs.next()) {
                    keys.add(rs.getInt(1));
                }
            }
        }
        return keys;
    }

    @Test
    void writes_queued_together_commit_together_and_a_failing_one_leaves_nothing_of_its_own() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> good = new ArrayList<>();
        Future<Integer> gap;
        Future<Integer> broken;
        try {
            synchronized (monitor) { // every write queues while the connection is busy, so they form one group
                for (int k = 1; k <= 10; k++) {
                    int key = k;
                    good.add(pool.submit(() -> writes.run(() -> insert(key), () -> "insert " + key)));
                }
                gap = pool.submit(() -> writes.run(() -> {
                    insert(100);
                    throw new GapException("box-1", "priority", 5, 9);
                }, () -> "gap"));
                broken = pool.submit(() -> writes.run(() -> {
                    insert(200);
                    return insert(1_000) + insert(1_000); // the second one breaks the primary key
                }, () -> "store the broken write"));
                Thread.sleep(300);
            }
            for (Future<Integer> f : good) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThatThrownBy(() -> gap.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(GapException.class);
            assertThatThrownBy(() -> broken.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EventStoreException.class)
                    .hasMessageContaining("store the broken write in g.db");
        } finally {
            pool.shutdownNow();
        }

        assertThat(keys()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void more_writers_than_a_group_holds_all_get_committed() throws Exception {
        int writers = SqliteGroupCommit.MAX_GROUP * 3 + 5;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> all = new ArrayList<>();
            for (int k = 1; k <= writers; k++) {
                int key = k;
                all.add(pool.submit(() -> writes.run(() -> insert(key), () -> "insert " + key)));
            }
            for (Future<Integer> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(keys()).hasSize(writers);
    }
}
