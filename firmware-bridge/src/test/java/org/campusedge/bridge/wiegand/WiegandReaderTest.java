package org.campusedge.bridge.wiegand;

import com.pi4j.context.Context;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.gpio.GpioContexts;
import org.campusedge.bridge.serial.ManualClock;
import org.campusedge.bridge.serial.RecordingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader on Pi4J's mock platform, driven by {@link WiegandSimulator} pulses on the mock D0/D1
 * inputs: the same listener path as real edges. One context for the class; each test its own pins.
 *
 * <p>Simulator and reader share a virtual timeline: each edge is stamped exactly when the frame
 * puts it, and a frame ends when the test moves time past the inter-bit timeout ({@link #send}).
 * On the real clock a busy build machine stalling the test thread mid-frame would stretch a
 * pulse past the timeout and split or spoil the frame, which is the line misbehaving, not the
 * reader. The reader thread itself still runs in real time.
 */
class WiegandReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final WiegandTiming TIMING = WiegandTiming.DEFAULTS;
    /** Long enough for the reader to end any frame in progress. */
    private static final Duration FRAME_GAP = TIMING.interBitTimeout().multipliedBy(2);
    private static Context gpio;

    /** Virtual nanoseconds, moved only by the simulator. */
    private static final class VirtualTime implements WiegandSimulator.Timeline {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void waitUntil(long deadlineNanos) {
            now.accumulateAndGet(deadlineNanos, Math::max);
        }
    }

    private final RecordingListener listener = new RecordingListener();
    private final ManualClock clock = new ManualClock();
    private final VirtualTime time = new VirtualTime();
    private WiegandReader reader;
    private WiegandSimulator device;

    @BeforeAll
    static void context() {
        gpio = GpioContexts.mock();
    }

    @AfterAll
    static void shutdown() {
        gpio.shutdown();
    }

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
    }

    private static WiegandReaderConfig config(String id, int d0, int d1) {
        return new WiegandReaderConfig(id, d0, d1, EnumSet.allOf(WiegandFormat.class), UidByteOrder.AS_SENT, TIMING,
                WiegandReaderConfig.DEFAULT_REPEAT_WINDOW);
    }

    private void start(WiegandReaderConfig config) throws InterruptedException {
        reader = new WiegandReader(gpio, config, listener, clock, time::nanoTime);
        reader.start();
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
        device = new WiegandSimulator(gpio, config, time);
    }

    /** Plays {@code frame}, then lets the inter-bit timeout pass so the reader ends it. */
    private void send(WiegandFrame frame) {
        device.play(frame);
        device.pause(FRAME_GAP);
    }

    private void awaitCounters(Predicate<ReaderCounters> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(reader.counters()) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(reader.counters()).as("counters").matches(done, "as expected");
    }

    private CardRead nextRead() throws InterruptedException {
        CardRead r = listener.reads.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("a card read within %s; counters %s", WAIT, reader.counters()).isNotNull();
        return r;
    }

    @Test
    void h10301_frame_on_the_pins_is_one_read_with_the_decimal_card_number() throws Exception {
        start(config("room-101", 5, 6));
        send(PublishedVectors.PROXMARK_KRINGLECON.frame());
        CardRead read = nextRead();
        assertThat(read.readerId()).isEqualTo("room-101");
        assertThat(read.format()).isEqualTo("H10301");
        assertThat(read.cardId()).isEqualTo("6025");
        assertThat(read.rawHex()).isEqualTo("2E22F13");
        assertThat(read.bitCount()).isEqualTo(26);
        assertThat(read.readAt()).isEqualTo(clock.instant());
        WiegandCard again = WiegandFormat.H10301.decode(new WiegandFrame(read.bitCount(), Long.parseLong(read.rawHex(), 16)), UidByteOrder.AS_SENT);
        assertThat(again.facilityCode()).as("the facility is recoverable from rawHex").hasValue(113);
        assertThat(reader.counters()).isEqualTo(new ReaderCounters(1, 1, 0, 0, 0, 0, 0, true));
    }

    @Test
    void h10306_frame_decodes_facility_and_card() throws Exception {
        start(config("room-102", 7, 8));
        send(PublishedVectors.HIKVISION_34.frame());
        CardRead read = nextRead();
        assertThat(read.format()).isEqualTo("H10306");
        assertThat(read.cardId()).isEqualTo("722");
        assertThat(read.bitCount()).isEqualTo(34);
    }

    @Test
    void raw_uid_reader_reports_the_byte_reversed_uid_in_hex() throws Exception {
        byte[] uid = HexFormat.of().parseHex("04A1B2C3D4E580");
        start(new WiegandReaderConfig("library", 9, 10, EnumSet.of(WiegandFormat.RAW), UidByteOrder.REVERSED,
                TIMING, Duration.ofSeconds(1)));
        send(WiegandEncoder.uid(uid, UidByteOrder.REVERSED));
        CardRead read = nextRead();
        assertThat(read.format()).isEqualTo("RAW");
        assertThat(read.cardId()).isEqualTo("04A1B2C3D4E580");
        assertThat(read.rawHex()).isEqualTo("80E5D4C3B2A104");
        assertThat(read.bitCount()).isEqualTo(56);
    }

    @Test
    void repeat_within_the_window_is_a_duplicate_and_after_it_a_new_read() throws Exception {
        start(config("gym", 11, 12));
        WiegandFrame frame = PublishedVectors.FLIPPER_H10301.frame();
        send(frame);
        nextRead();
        clock.advance(Duration.ofMillis(500));
        send(frame);
        awaitCounters(c -> c.frames() == 2);
        assertThat(reader.counters().duplicates()).isEqualTo(1);
        send(PublishedVectors.SEABREEZE_213_02000.frame());
        assertThat(nextRead().cardId()).as("another card is not a repeat").isEqualTo("2000");
        clock.advance(Duration.ofMillis(1500));
        send(frame);
        assertThat(nextRead().cardId()).isEqualTo("4567");
        assertThat(reader.counters().cardReads()).isEqualTo(3);
    }

    @Test
    void parity_error_is_counted_and_reported_to_no_one() throws Exception {
        start(config("lab", 13, 16));
        send(PublishedVectors.PROXMARK_KRINGLECON.frame().withBitFlipped(20));
        awaitCounters(c -> c.checksumErrors() == 1);
        send(PublishedVectors.PROXMARK_KRINGLECON.frame());
        assertThat(nextRead().cardId()).isEqualTo("6025");
        assertThat(reader.counters().frames()).isEqualTo(1);
    }

    @Test
    void truncated_frame_is_dropped_and_its_bits_counted() throws Exception {
        start(new WiegandReaderConfig("art", 17, 18, EnumSet.of(WiegandFormat.H10301, WiegandFormat.H10306),
                UidByteOrder.AS_SENT, TIMING, Duration.ofSeconds(1)));
        WiegandFrame whole = PublishedVectors.PROXMARK_KRINGLECON.frame();
        send(new WiegandFrame(20, whole.field(0, 20)));
        awaitCounters(c -> c.resyncs() == 1);
        assertThat(reader.counters().droppedBytes()).isEqualTo(20);
        assertThat(listener.reads).isEmpty();
    }

    @Test
    void both_lines_low_at_once_spoils_the_frame() throws Exception {
        start(config("music", 19, 20));
        WiegandFrame frame = PublishedVectors.PROXMARK_KRINGLECON.frame();
        device.play(new WiegandFrame(11, frame.field(0, 11)));
        device.bothLow();
        send(new WiegandFrame(15, frame.field(11, 15)));
        awaitCounters(c -> c.resyncs() == 1);
        // 26 bits and 2 low edges sent; both edges of the "both low" glitch and the bit right
        // after it came too soon: every one of the 28 is accounted as dropped or noise.
        assertThat(reader.counters().droppedBytes()).isEqualTo(28);
        assertThat(listener.reads).isEmpty();
        send(frame);
        assertThat(nextRead().cardId()).isEqualTo("6025");
    }

    @Test
    void overlong_burst_is_dropped() throws Exception {
        start(config("hall", 21, 22));
        for (int i = 0; i < 70; i++) {
            device.pulse(i % 2);
            device.pause(Duration.ofMillis(1));
        }
        device.pause(FRAME_GAP);
        awaitCounters(c -> c.resyncs() == 1);
        assertThat(reader.counters().droppedBytes()).isEqualTo(70);
    }

    @Test
    void close_releases_pins_and_thread_and_reports_offline() throws Exception {
        WiegandReaderConfig config = config("tv", 23, 24);
        start(config);
        assertThat(reader.threadAlive()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("wiegand-tv"));
        reader.close();
        assertThat(reader.threadAlive()).isFalse();
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(gpio.registry().exists(config.d0Id())).isFalse();
        assertThat(gpio.registry().exists(config.d1Id())).isFalse();
        assertThat(reader.counters().online()).isFalse();
        reader.close();
        assertThatThrownBy(reader::start).isInstanceOf(IllegalStateException.class);
        try (WiegandReader again = new WiegandReader(gpio, config, listener, clock)) {
            again.start();
            assertThat(gpio.registry().exists(config.d0Id())).as("released pins can be used again").isTrue();
        }
    }

    @Test
    void pin_already_in_use_fails_start_with_the_pins_named_and_leaks_nothing() throws Exception {
        start(config("office", 25, 26));
        try (WiegandReader clash = new WiegandReader(gpio, config("office", 27, 2), listener, clock)) {
            assertThatThrownBy(clash::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("BCM 27");
            assertThat(clash.threadAlive()).isFalse();
        }
        assertThat(gpio.registry().exists("office-d0")).as("the first reader keeps its pins").isTrue();
    }

    @Test
    void config_is_validated() {
        assertThatThrownBy(() -> WiegandReaderConfig.of("x", 4, 4)).hasMessageContaining("share BCM pin 4");
        assertThatThrownBy(() -> WiegandReaderConfig.of("x", 4, 28)).hasMessageContaining("0..27");
        assertThatThrownBy(() -> new WiegandReaderConfig("x", 4, 5, EnumSet.noneOf(WiegandFormat.class), UidByteOrder.AS_SENT,
                TIMING, Duration.ZERO)).hasMessageContaining("format");
    }
}
