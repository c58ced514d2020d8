package org.campusedge.agent.access;

import org.campusedge.agent.journal.ScratchJournal;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.Journal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AllowListStoreTest {

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();
    private Journal journal;




    private Journal open() {
        journal = scratch.open();
        return journal;
    }

    @Test
    void stores_and_loads_groups_across_a_restart() {
        AllowListStore store = new AllowListStore(open());
        store.save(List.of(
                new Permission("0A00D6E3F2", "S-0117", Set.of("studio-1"), false, Optional.empty(),
                        Optional.of(LocalDate.parse("2027-07-15")), Set.of("grade-8", "media-club")),
                new Permission("1F00A4B2C3", "T-0042", Set.of(), true, Optional.empty(), Optional.empty(), Set.of("staff")),
                new Permission("2B00C1D2E3", "S-0388", Set.of(), false, Optional.empty(), Optional.empty(), Set.of("grade-8")),
                new Permission("3C00C1D2E3", "S-0389", Set.of("maker-1"), false, Optional.empty(), Optional.empty())),
                true).join();
        journal.close();
        journal = null;

        AllowList list = new AllowListStore(open()).load();
        assertThat(list.size()).isEqualTo(4);
        assertThat(list.find("0A00D6E3F2").orElseThrow().groups()).containsExactlyInAnyOrder("grade-8", "media-club");
        assertThat(list.find("1F00A4B2C3").orElseThrow().allRooms()).isTrue();
        assertThat(list.find("1F00A4B2C3").orElseThrow().groups()).containsExactly("staff");
        Permission groupsOnly = list.find("2B00C1D2E3").orElseThrow();
        assertThat(groupsOnly.rooms()).isEmpty();
        assertThat(groupsOnly.allRooms()).isFalse();
        assertThat(list.find("3C00C1D2E3").orElseThrow().groups()).isEmpty();
    }

    @Test
    void an_update_replaces_a_cards_groups() {
        AllowListStore store = new AllowListStore(open());
        store.save(List.of(new Permission("0A00D6E3F2", "S-0117", Set.of(), false, Optional.empty(), Optional.empty(),
                Set.of("grade-7"))), false).join();
        store.save(List.of(new Permission("0A00D6E3F2", "S-0117", Set.of(), false, Optional.empty(), Optional.empty(),
                Set.of("grade-8"))), false).join();
        assertThat(store.load().find("0A00D6E3F2").orElseThrow().groups()).containsExactly("grade-8");
    }
}
