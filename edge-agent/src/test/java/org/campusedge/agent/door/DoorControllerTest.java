package org.campusedge.agent.door;

import org.campusedge.agent.journal.ScratchJournal;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.Direction;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.ReaderProtocol;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The door asks the decider with its reader's direction and journals the way the tap went. */
class DoorControllerTest {

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();
    private Journal journal;

    private static final Instant MONDAY_NOON = Instant.parse("2026-11-30T04:00:00Z");




    private static ReaderConfig reader(String id, Direction direction) {
        return new ReaderConfig(id, ReaderProtocol.RDM6300, "/dev/null", 9600, "maker-1", "main", OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), Duration.ofSeconds(3), Optional.empty(), OptionalInt.empty(),
                Optional.empty(), direction);
    }

    @Test
    void an_out_reader_grants_an_exit_and_journals_its_direction() throws Exception {
        journal = scratch.open();
        AccessDecider decider = new AccessDecider(AllowList.of(1, List.of(new Permission("0A00D6E3F2", "S-0117",
                Set.of("maker-1"), false, Optional.empty(), Optional.empty()))), ZoneId.of("Asia/Shanghai"));
        List<Feedback> feedback = new ArrayList<>();
        FeedbackSink sink = new FeedbackSink() {
            @Override
            public void apply(Feedback f) {
                feedback.add(f);
            }

            @Override
            public void close() {
            }
        };
        List<DoorController.TapOutcome> taps = new ArrayList<>();
        DoorController.DoorStats stats = new DoorController.DoorStats();
        DoorController out = new DoorController(reader("maker-out", Direction.OUT), RoomType.MAKER_SPACE, decider, sink, journal, stats, taps::add);
        DoorController in = new DoorController(reader("maker-in", Direction.IN), RoomType.MAKER_SPACE, decider, sink, journal, stats, taps::add);

        out.onCardRead(new CardRead("maker-out", "EM4100", "FFFFFFFFFF", "FFFFFFFFFF", 40, MONDAY_NOON));
        in.onCardRead(new CardRead("maker-in", "EM4100", "FFFFFFFFFF", "FFFFFFFFFF", 40, MONDAY_NOON.plusSeconds(1)));
        in.onCardRead(new CardRead("maker-in", "EM4100", "0A00D6E3F2", "0A00D6E3F2", 40, MONDAY_NOON.plusSeconds(2)));

        assertThat(taps).extracting(t -> t.decision().reason())
                .containsExactly(ReasonCode.EXIT, ReasonCode.UNKNOWN_CARD, ReasonCode.GRANTED);
        assertThat(feedback).hasSize(3);
        assertThat(stats.granted()).isEqualTo(2);
        List<JournalEvent> events = waitForDecisions(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode exit = json.readTree(events.get(2).payloadJson());   // newest first
        assertThat(exit.get("reason").asText()).isEqualTo("exit");
        assertThat(exit.get("granted").asBoolean()).isTrue();
        assertThat(exit.get("direction").asText()).isEqualTo("out");
        assertThat(json.readTree(events.get(0).payloadJson()).get("direction").asText()).isEqualTo("in");
        assertThat(events).extracting(e -> json.readTree(e.payloadJson()).get("roomType").asText())
                .as("the room type travels with every decision, for the city's usage report").containsOnly("maker-space");
    }

    private List<JournalEvent> waitForDecisions(int n) throws InterruptedException {
        EventQuery q = new EventQuery(Optional.empty(), Optional.of("access.decision"), Optional.empty(), Optional.empty(), 10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<JournalEvent> events = journal.query(q);
            if (events.size() >= n) {
                return events;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(n + " decisions not journaled within 20 s");
    }
}
