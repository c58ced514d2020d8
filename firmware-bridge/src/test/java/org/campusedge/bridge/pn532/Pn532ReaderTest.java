package org.campusedge.bridge.pn532;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.bridge.serial.ManualClock;
import org.campusedge.bridge.serial.RecordingListener;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver against the simulator over an in-process pipe, with a hand-moved clock for the hold window. */
class Pn532ReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    static final Pn532ReaderSettings FAST = new Pn532ReaderSettings(Duration.ofMillis(20), Duration.ofMillis(400),
            Duration.ofSeconds(1), 3, new SerialReaderLoop.Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));

    private final RecordingListener listener = new RecordingListener();
    private final ManualClock clock = new ManualClock();
    private final InProcessSerialPipe pipe = new InProcessSerialPipe("door-7");
    private final Pn532Reader reader = new Pn532Reader("door-7", pipe.hostEnd(), listener, clock, FAST);
    private Pn532Simulator sim;

    @BeforeEach
    void start() throws Exception {
        pipe.deviceEnd().open();
        sim = new Pn532Simulator("door-7", pipe.deviceEnd());
        sim.start();
        reader.start();
        ReaderStatus online = listener.nextStatus(WAIT);
        assertThat(online.state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(online.detail()).isEqualTo("inproc:door-7: PN532 answering");
    }

    @AfterEach
    void close() {
        reader.close();
        sim.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void wakes_the_pn532_and_configures_it_before_polling() throws Exception {
        await(() -> sim.polls() >= 1, "a poll");
        assertThat(sim.wakeUps()).isGreaterThanOrEqualTo(1);
        // SAMConfiguration, GetFirmwareVersion and RFConfiguration came before the first poll.
        assertThat(sim.commands()).isGreaterThanOrEqualTo(4);
        assertThat(reader.counters().cardReads()).isZero();
        assertThat(reader.timeouts()).isZero();
    }

    @Test
    void four_byte_uid_held_on_the_antenna_is_one_read_and_later_polls_are_duplicates() throws Exception {
        sim.present("9EB36E66");
        CardRead read = listener.nextRead(WAIT);
        assertThat(read.readerId()).isEqualTo("door-7");
        assertThat(read.format()).isEqualTo("ISO14443A");
        assertThat(read.cardId()).isEqualTo("9EB36E66");
        assertThat(read.bitCount()).isEqualTo(32);
        assertThat(read.rawHex()).isEqualTo("0101000408049EB36E66");
        assertThat(read.readAt()).isEqualTo(clock.instant());
        await(() -> reader.counters().duplicates() >= 3, "three more polls of the held card");
        assertThat(listener.reads).isEmpty();
        assertThat(reader.counters().cardReads()).isEqualTo(1);
    }

    @Test
    void seven_byte_uid_is_read_with_56_bits() throws Exception {
        sim.present("047BCB51962280");
        CardRead read = listener.nextRead(WAIT);
        assertThat(read.cardId()).isEqualTo("047BCB51962280");
        assertThat(read.bitCount()).isEqualTo(56);
    }

    @Test
    void another_card_or_the_same_card_after_the_hold_window_is_a_new_read() throws Exception {
        sim.present("9EB36E66");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("9EB36E66");
        sim.present("047BCB51962280");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("047BCB51962280");
        sim.remove();
        long polls = sim.polls();
        await(() -> sim.polls() >= polls + 2, "polls without a card");
        clock.advance(Duration.ofMillis(1001));
        sim.present("047BCB51962280");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("047BCB51962280");
        assertThat(reader.counters().cardReads()).isEqualTo(3);
    }

    @Test
    void a_silent_pn532_times_out_goes_offline_once_and_online_when_it_answers_again() throws Exception {
        sim.setSilent(true);
        ReaderStatus offline = listener.nextStatus(WAIT);
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).startsWith("inproc:door-7: no answer from the PN532 (3 timeouts in a row");
        assertThat(reader.timeouts()).isGreaterThanOrEqualTo(3);
        assertThat(reader.counters().online()).isFalse();
        assertThat(listener.statuses.poll(400, TimeUnit.MILLISECONDS)).as("one OFFLINE while it stays silent").isNull();
        assertThat(reader.counters().reconnects()).as("the port stays open").isZero();

        sim.setSilent(false);
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
        sim.present("6E8AE2B0");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("6E8AE2B0");
    }

    @Test
    void replies_later_than_the_timeout_count_as_timeouts_until_the_pn532_is_prompt_again() throws Exception {
        sim.setReplyDelay(Duration.ofMillis(1_000));
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.OFFLINE);
        sim.setReplyDelay(Duration.ZERO);
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
        sim.present("8A4CB512");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("8A4CB512");
    }

    @Test
    void garbage_and_bad_checksums_are_counted_and_reads_go_on() throws Exception {
        sim.sendGarbageBeforeNextReply(new byte[] {0x13, 0x37, (byte) 0xFF, 0x55});
        await(() -> reader.counters().droppedBytes() >= 4, "garbage dropped");
        sim.corruptNextReplies(2);
        await(() -> reader.counters().checksumErrors() >= 2, "bad DCS counted");
        sim.present("9EB36E66");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("9EB36E66");
        assertThat(reader.counters().resyncs()).isGreaterThanOrEqualTo(2);
        assertThat(reader.counters().frames()).isPositive();
    }

    @Test
    void unplugging_reports_offline_and_replugging_reports_online_once_the_pn532_answers() throws Exception {
        pipe.disconnect();
        ReaderStatus offline = listener.nextStatus(WAIT);
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).isEqualTo("inproc:door-7: Input/output error (device unplugged)");
        await(() -> !sim.threadAlive(), "the simulator stops with its link");
        assertThat(listener.statuses.poll(300, TimeUnit.MILLISECONDS)).as("no repeated reports while retrying").isNull();

        pipe.reconnect();
        pipe.deviceEnd().open();
        sim = new Pn532Simulator("door-7b", pipe.deviceEnd());
        sim.start();
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(reader.counters().reconnects()).isEqualTo(1);
        assertThat(sim.wakeUps()).as("woken again after the reopen").isGreaterThanOrEqualTo(1);
        sim.present("9EB36E66");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("9EB36E66");
    }

    @Test
    void close_stops_both_threads_reports_offline_and_releases_the_link() throws Exception {
        reader.close();
        sim.close();
        assertThat(reader.threadAlive()).isFalse();
        assertThat(sim.threadAlive()).isFalse();
        assertThat(pipe.hostEnd().isOpen()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("reader-door-7") || t.getName().equals("pn532-sim-door-7"));
        ReaderStatus last = listener.nextStatus(WAIT);
        assertThat(last.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(last.detail()).isEqualTo("inproc:door-7: reader stopped");
        assertThat(reader.counters().online()).isFalse();
        reader.close();
    }
}
