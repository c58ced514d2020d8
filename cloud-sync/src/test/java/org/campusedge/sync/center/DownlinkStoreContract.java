package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.sync.downlink.CardGrant;
import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.downlink.DownlinkEdit;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.downlink.DownlinkValues;
import org.campusedge.sync.downlink.HolidaySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link DownlinkStore} promises, run against SQLite ({@link SqliteDownlinkStoreTest})
 * and PostgreSQL ({@code PostgresDownlinkStoreIT}). A subclass gives each test a fresh database.
 */
abstract class DownlinkStoreContract {

    static final Instant NOW = Instant.parse("2026-09-01T07:00:00Z");
    static final DownlinkScope RIVERSIDE = DownlinkScope.school("Riverside");
    static final DownlinkScope HILLTOP = DownlinkScope.school("Hilltop");
    static final List<DownlinkScope> BOX_1 = DownlinkScope.ofBox("Riverside", "box-1");

    protected DownlinkStore store;

    protected abstract void createDatabase() throws Exception;

    protected abstract DownlinkStore openStore();

    protected abstract void dropDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        createDatabase();
        store = openStore();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        dropDatabase();
    }

    static DownlinkEdit card(String id, String person, String... rooms) {
        return DownlinkValues.putValue(DownlinkKind.CARD, id, new CardGrant(person, List.of(rooms), List.of(), null, null));
    }

    static DownlinkEdit holiday(String id, String day) {
        return DownlinkValues.putValue(DownlinkKind.HOLIDAY, id, new HolidaySpec(id, LocalDate.parse(day), null));
    }

    static List<String> keys(DownlinkDelta d) {
        return d.changes().stream().map(c -> c.kind() + ":" + c.key() + (c.removed() ? "-" : "")).toList();
    }

    @Test
    void an_empty_store_is_at_version_zero_and_answers_an_empty_delta() {
        assertThat(store.version()).isZero();
        DownlinkDelta d = store.since(BOX_1, 0);
        assertThat(d.empty()).isTrue();
        assertThat(d.changes()).isEmpty();
        assertThat(d.version()).isZero();
    }

    @Test
    void every_write_takes_the_next_version_and_a_delta_holds_exactly_what_changed_after_it() {
        DownlinkStore.Written first = store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "studio-1"), card("0A02", "S-2", "*")),
                Set.of(), NOW);
        DownlinkStore.Written second = store.apply(RIVERSIDE, List.of(holiday("national-day", "2026-10-01")), Set.of(), NOW);
        assertThat(first).isEqualTo(new DownlinkStore.Written(1, 2));
        assertThat(second).isEqualTo(new DownlinkStore.Written(2, 1));

        DownlinkDelta delta = store.since(BOX_1, 1);
        assertThat(delta.snapshot()).isFalse();
        assertThat(delta.version()).isEqualTo(2);
        assertThat(keys(delta)).containsExactly("holiday:national-day");
        assertThat(store.since(BOX_1, 2).empty()).isTrue();
        assertThat(keys(store.since(BOX_1, 0))).containsExactlyInAnyOrder("card:0A01", "card:0A02", "holiday:national-day");
    }

    @Test
    void a_write_that_changes_nothing_takes_no_version() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "studio-1")), Set.of(), NOW);
        DownlinkStore.Written again = store.apply(RIVERSIDE, List.of(card("0a01", "S-1", "studio-1")), Set.of(), NOW);
        assertThat(again).isEqualTo(new DownlinkStore.Written(1, 0));
        assertThat(store.version()).isEqualTo(1);
        assertThat(store.apply(RIVERSIDE, List.of(DownlinkEdit.remove(DownlinkKind.CARD, "FFFF")), Set.of(), NOW).changed()).isZero();
    }

    @Test
    void a_removal_travels_in_deltas_and_is_absent_from_snapshots() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "studio-1"), card("0A02", "S-2", "*")), Set.of(), NOW);
        store.apply(RIVERSIDE, List.of(DownlinkEdit.remove(DownlinkKind.CARD, "0A01")), Set.of(), NOW);
        assertThat(keys(store.since(BOX_1, 1))).containsExactly("card:0A01-");
        assertThat(keys(store.since(BOX_1, 0))).containsExactly("card:0A02");
        assertThat(store.items(RIVERSIDE, Optional.of(DownlinkKind.CARD))).extracting(DownlinkChange::key).containsExactly("0A02");
    }

    @Test
    void replacing_a_kind_removes_its_items_the_write_does_not_name_and_leaves_other_kinds() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "studio-1"), card("0A02", "S-2", "*"),
                holiday("national-day", "2026-10-01")), Set.of(), NOW);
        DownlinkStore.Written w = store.apply(RIVERSIDE, List.of(card("0A02", "S-2", "*"), card("0A03", "S-3", "*")),
                EnumSet.of(DownlinkKind.CARD), NOW);
        assertThat(w.changed()).isEqualTo(2);
        assertThat(keys(store.since(BOX_1, 1))).containsExactlyInAnyOrder("card:0A01-", "card:0A03");
        assertThat(keys(store.since(BOX_1, 0))).containsExactlyInAnyOrder("card:0A02", "card:0A03", "holiday:national-day");
    }

    @Test
    void a_box_receives_its_schools_items_and_its_own_and_nobody_elses() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "*")), Set.of(), NOW);
        store.apply(HILLTOP, List.of(card("0B01", "H-1", "*")), Set.of(), NOW);
        store.apply(DownlinkScope.device("box-1"), List.of(card("0C01", "T-1", "*")), Set.of(), NOW);
        store.apply(DownlinkScope.device("box-2"), List.of(card("0D01", "T-2", "*")), Set.of(), NOW);
        DownlinkDelta d = store.since(BOX_1, 0);
        assertThat(keys(d)).containsExactlyInAnyOrder("card:0A01", "card:0C01");
        assertThat(d.changes()).extracting(DownlinkChange::scope).containsExactlyInAnyOrder("school:Riverside", "device:box-1");
        assertThat(d.version()).isEqualTo(4);
        assertThat(store.since(BOX_1, 3).changes()).isEmpty();
    }

    @Test
    void a_box_older_than_the_compacted_removals_or_ahead_of_the_store_gets_a_snapshot() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "*"), card("0A02", "S-2", "*")), Set.of(), NOW);
        store.apply(RIVERSIDE, List.of(DownlinkEdit.remove(DownlinkKind.CARD, "0A01")), Set.of(), NOW);
        store.apply(RIVERSIDE, List.of(card("0A03", "S-3", "*")), Set.of(), NOW.plus(Duration.ofDays(10)));

        assertThat(store.compact(NOW.plusSeconds(1))).isEqualTo(1);
        assertThat(store.compactedVersion()).isEqualTo(2);
        DownlinkDelta old = store.since(BOX_1, 1);
        assertThat(old.snapshot()).isTrue();
        assertThat(keys(old)).containsExactlyInAnyOrder("card:0A02", "card:0A03");
        assertThat(old.version()).isEqualTo(3);
        DownlinkDelta recent = store.since(BOX_1, 2);
        assertThat(recent.snapshot()).isFalse();
        assertThat(keys(recent)).containsExactly("card:0A03");
        assertThat(store.since(BOX_1, 99).snapshot()).isTrue();
        assertThat(store.compact(NOW.plusSeconds(1))).isZero();
    }

    @Test
    void a_write_that_fails_midway_applies_nothing_and_takes_no_version() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "*")), Set.of(), NOW);
        assertThatThrownBy(() -> store.apply(RIVERSIDE, List.of(card("0A02", "S-2", "*"), card("0A02", "S-9", "*")), Set.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0A02 appears twice");
        assertThat(store.version()).isEqualTo(1);
        assertThat(keys(store.since(BOX_1, 0))).containsExactly("card:0A01");
    }

    @Test
    void records_the_version_each_box_runs() {
        store.reportRunning("box-1", 4, NOW);
        store.reportRunning("box-2", 2, NOW);
        store.reportRunning("box-1", 7, NOW.plusSeconds(5));
        assertThat(store.running()).containsExactly(new DownlinkStore.Running("box-1", 7, NOW.plusSeconds(5)),
                new DownlinkStore.Running("box-2", 2, NOW));
    }

    @Test
    void keeps_everything_when_reopened() {
        store.apply(RIVERSIDE, List.of(card("0A01", "S-1", "studio-1")), Set.of(), NOW);
        store.reportRunning("box-1", 1, NOW);
        store.close();
        store = openStore();
        assertThat(store.version()).isEqualTo(1);
        JsonNode value = store.since(BOX_1, 0).changes().get(0).value();
        assertThat(DownlinkValues.read(value, CardGrant.class).rooms()).containsExactly("studio-1");
        assertThat(store.running()).hasSize(1);
    }

    @Test
    void concurrent_writers_get_distinct_versions_and_every_change_is_in_some_delta() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DownlinkStore.Written>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = String.format("%04X", 0x1000 + i);
                writes.add(pool.submit(() -> store.apply(RIVERSIDE, List.of(card(id, "S-" + id, "*")), Set.of(), NOW)));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<DownlinkStore.Written> f : writes) {
                versions.add(f.get().version());
            }
            assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 1 && v <= 40);
        } finally {
            pool.shutdown();
        }
        assertThat(store.since(BOX_1, 20).changes()).hasSize(20);
        assertThat(store.since(BOX_1, 0).changes()).hasSize(40);
    }
}
