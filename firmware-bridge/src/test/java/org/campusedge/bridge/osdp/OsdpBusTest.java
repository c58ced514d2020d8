package org.campusedge.bridge.osdp;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The ACU poll loop against simulated PDs on an in-process line. */
class OsdpBusTest {

    private final InProcessSerialPipe line = new InProcessSerialPipe("rs485");
    private final BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReaderStatus> statuses = new LinkedBlockingQueue<>();
    private OsdpPdSimulator sim;
    private OsdpBus bus;
    private OsdpPeripheral studio;
    private OsdpPeripheral lab;

    private final java.util.concurrent.atomic.AtomicReference<OsdpDoor> door = new java.util.concurrent.atomic.AtomicReference<>();

    /** Like the agent's door controller: decides on the bus thread and drives the reader's feedback. */
    private final ReaderListener listener = new ReaderListener() {
        @Override
        public void onCardRead(CardRead read) {
            OsdpDoor d = door.get();
            if (d != null) {
                d.apply(Feedback.grant(Duration.ofSeconds(3)));
            }
            reads.add(read);
        }

        @Override
        public void onStatus(ReaderStatus status) {
            statuses.add(status);
        }
    };

    @BeforeEach
    void start() throws Exception {
        line.deviceEnd().open();
        sim = new OsdpPdSimulator(line.deviceEnd(), 1, 2);
        bus = new OsdpBus("b1", line.hostEnd(), new OsdpBus.Options(Duration.ofMillis(60), 1, 3, Duration.ofMillis(5), true),
                Clock.systemUTC());
        studio = bus.add("studio-door", 1, listener);
        lab = bus.add("lab-door", 2, listener);
        bus.start();
    }

    @AfterEach
    void stop() {
        bus.close();
        sim.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void polls_every_pd_and_reports_each_online_once() throws Exception {
        await("both online", () -> studio.online() && lab.online());
        // a PD is marked online before its listener hears of it: wait for the two reports themselves
        await("both ONLINE reports", () -> statuses.size() >= 2);
        Thread.sleep(100); // and no third one
        assertThat(statuses).extracting(ReaderStatus::readerId).containsExactlyInAnyOrder("studio-door", "lab-door");
        assertThat(statuses).allMatch(s -> s.state() == ReaderStatus.State.ONLINE);
    }

    @Test
    void a_pd_coming_online_is_asked_who_it_is() throws Exception {
        await("identity", () -> lab.identity().isPresent());
        assertThat(lab.identity().get().vendorOui()).isEqualTo("A1A2A3");
        assertThat(sim.received()).extracting(OsdpPdSimulator.Received::command).contains(OsdpCommand.ID, OsdpCommand.CAP);
    }

    @Test
    void sequence_numbers_start_at_zero_then_cycle_one_to_three() throws Exception {
        await("a dozen polls", () -> sim.received().stream().filter(r -> r.address() == 1).count() >= 8);
        List<Integer> seqs = sim.received().stream().filter(r -> r.address() == 1).map(OsdpPdSimulator.Received::sequence)
                .limit(8).toList();
        assertThat(seqs).containsExactly(0, 1, 2, 3, 1, 2, 3, 1);
    }

    @Test
    void a_card_becomes_a_card_read_and_the_doors_feedback_follows_at_once() throws Exception {
        await("online", () -> lab.online());
        door.set(new OsdpDoor(lab, true));
        // H10301 26-bit frame, left-aligned in 4 bytes as osdp_RAW carries it: facility 1, card 1.
        sim.presentCard(2, 26, HexFormat.of().parseHex("80800080"));
        CardRead read = reads.poll(5, TimeUnit.SECONDS);
        assertThat(read).isNotNull();
        assertThat(read.readerId()).isEqualTo("lab-door");
        assertThat(read.format()).isEqualTo("H10301");
        assertThat(read.rawHex()).isEqualTo("2020002");
        assertThat(read.cardId()).as("H10301 facility 1, card 1").isEqualTo("1");
        assertThat(read.bitCount()).isEqualTo(26);
        await("feedback", () -> sim.received().stream().anyMatch(r -> r.command() == OsdpCommand.OUT));
        List<OsdpPdSimulator.Received> all = sim.received();
        int cardPoll = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).address() == 2 && all.get(i).command() == OsdpCommand.LED) {
                cardPoll = i;
                break;
            }
        }
        assertThat(cardPoll).isPositive();
        assertThat(all.subList(cardPoll, cardPoll + 3)).extracting(OsdpPdSimulator.Received::command)
                .as("feedback goes out right after the card, before any other PD's turn")
                .containsExactly(OsdpCommand.LED, OsdpCommand.BUZ, OsdpCommand.OUT);
        assertThat(all.get(cardPoll - 1).address()).isEqualTo(2);
        assertThat(all.get(cardPoll - 1).command()).isEqualTo(OsdpCommand.POLL);
    }

    @Test
    void a_silent_pd_goes_offline_retries_reuse_the_sequence_number_and_it_comes_back() throws Exception {
        await("online", () -> studio.online());
        int before = sim.received().size();
        sim.setSilent(1, true);
        await("offline", () -> !studio.online());
        List<OsdpPdSimulator.Received> seen = sim.received(); // one snapshot: the bus keeps polling meanwhile
        List<OsdpPdSimulator.Received> unanswered = seen.subList(before, seen.size()).stream()
                .filter(r -> r.address() == 1).toList();
        assertThat(unanswered.size()).isGreaterThanOrEqualTo(2);
        boolean retried = false;
        for (int i = 1; i < unanswered.size(); i++) {
            retried |= unanswered.get(i).sequence() == unanswered.get(i - 1).sequence();
        }
        assertThat(retried).as("a retry repeats the sequence number").isTrue();
        assertThat(studio.timeouts()).isGreaterThanOrEqualTo(3);
        assertThat(studio.counters().timeouts()).isGreaterThanOrEqualTo(3);
        assertThat(lab.online()).as("the other PD is unaffected").isTrue();
        sim.setSilent(1, false);
        await("back online", () -> studio.online());
        // The state flips before the listener hears of it: wait for the status report itself.
        await("the ONLINE status reported", () -> statuses.stream()
                .filter(st -> (st.readerId() + ":" + st.state()).equals("studio-door:ONLINE")).count() >= 2);
        assertThat(statuses).extracting(s -> s.readerId() + ":" + s.state())
                .containsSubsequence("studio-door:ONLINE", "studio-door:OFFLINE", "studio-door:ONLINE");
    }

    @Test
    void a_late_reply_counts_as_a_timeout() throws Exception {
        await("online", () -> studio.online());
        sim.setReplyDelay(1, Duration.ofMillis(150));
        await("timeouts", () -> studio.timeouts() >= 2);
        sim.setReplyDelay(1, Duration.ZERO);
    }

    @Test
    void garbage_on_the_line_is_counted_and_polling_goes_on() throws Exception {
        sim.setGarbageBeforeReply(new byte[] {0x53, 0x00, 0x01, 0x12, 0x34});
        await("online", () -> studio.online() && lab.online());
        await("dropped bytes counted", () -> studio.counters().droppedBytes() > 0);
        long replies = studio.counters().frames();
        await("still polling", () -> studio.counters().frames() > replies + 3);
    }

    @Test
    void an_unknown_command_is_naked_and_counted() throws Exception {
        await("online", () -> studio.online());
        studio.send(OsdpCommand.MFG, new byte[] {1, 2, 3});
        await("nak", () -> studio.naks() == 1);
        assertThat(studio.counters().naks()).isEqualTo(1);
    }

    @Test
    void close_stops_the_bus_and_line_threads() throws Exception {
        await("online", () -> studio.online());
        bus.close();
        assertThat(bus.threadAlive()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("osdp-b1") && t.isAlive());
    }
}
