package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.bridge.serial.ManualClock;
import org.campusedge.bridge.serial.RecordingListener;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver over an in-process pipe, with a hand-moved clock for the hold window. */
class Rdm6300ReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingListener listener = new RecordingListener();
    private final ManualClock clock = new ManualClock();
    private final InProcessSerialPipe pipe = new InProcessSerialPipe("door-1");
    private final Rdm6300Reader reader = new Rdm6300Reader("door-1", pipe.hostEnd(), listener, clock,
            Duration.ofSeconds(1), new SerialReaderLoop.Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
    private final SerialLink device = pipe.deviceEnd();

    @BeforeEach
    void start() throws Exception {
        reader.start();
        device.open();
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
    }

    @AfterEach
    void close() {
        reader.close();
    }

    private void send(String card) throws Exception {
        device.write(Rdm6300Encoder.encode(Rdm6300Frame.ofHex(card)));
    }

    /** Waits until the reader thread has decoded {@code n} frames, so clock moves land between frames. */
    private void awaitFrames(long n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reader.counters().frames() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(reader.counters().frames()).isEqualTo(n);
    }

    @Test
    void held_tag_is_one_read_and_its_repeats_count_as_duplicates() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("62E3086CED");
        }
        awaitFrames(5);
        CardRead read = listener.nextRead(WAIT);
        assertThat(read.cardId()).isEqualTo("62E3086CED");
        assertThat(read.rawHex()).isEqualTo("62E3086CED");
        assertThat(read.format()).isEqualTo("EM4100");
        assertThat(read.bitCount()).isEqualTo(40);
        assertThat(read.readerId()).isEqualTo("door-1");
        assertThat(read.readAt()).isEqualTo(clock.instant());
        assertThat(listener.reads).isEmpty();
        assertThat(reader.counters().duplicates()).isEqualTo(4);
        assertThat(reader.counters().cardReads()).isEqualTo(1);
    }

    @Test
    void tag_held_longer_than_the_window_stays_one_read_because_the_window_runs_from_the_last_frame() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("62E3086CED");
            awaitFrames(i + 1);
            clock.advance(Duration.ofMillis(600));
        }
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("62E3086CED");
        assertThat(listener.reads).as("3 s of holding, frames 600 ms apart").isEmpty();
        assertThat(reader.counters().duplicates()).isEqualTo(4);
    }

    @Test
    void another_card_or_the_same_card_after_the_window_is_a_new_read() throws Exception {
        send("62E3086CED");
        awaitFrames(1);
        send("0A00D6E3F2");
        awaitFrames(2);
        clock.advance(Duration.ofMillis(300));
        send("62E3086CED");
        awaitFrames(3);
        clock.advance(Duration.ofMillis(1001));
        send("62E3086CED");
        awaitFrames(4);
        // The frame is counted before its read reaches the listener: wait for the read itself.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (listener.reads.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(listener.reads).extracting(CardRead::cardId)
                .containsExactly("62E3086CED", "0A00D6E3F2", "62E3086CED", "62E3086CED");
        assertThat(reader.counters().cardReads()).isEqualTo(4);
        assertThat(reader.counters().duplicates()).isZero();
    }

    @Test
    void read_is_stamped_with_the_clock_when_its_bytes_arrived() throws Exception {
        clock.advance(Duration.ofMinutes(5));
        send("0A00D6E3F2");
        assertThat(listener.nextRead(WAIT).readAt()).isEqualTo(clock.instant());
    }

    @Test
    void garbage_and_bad_checksums_are_counted_and_do_not_stop_reads() throws Exception {
        device.write(new byte[] {0x02, '6', '2', 0x7F, 0x55, 0x03, 0x00});
        device.write(Rdm6300Encoder.encodeWithChecksum(Rdm6300Frame.ofHex("62E3086CED"), 0x77));
        send("62E3086CED");
        awaitFrames(1);
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("62E3086CED");
        assertThat(reader.counters().droppedBytes()).isEqualTo(7);
        assertThat(reader.counters().checksumErrors()).isEqualTo(1);
        assertThat(reader.counters().resyncs()).isEqualTo(1);
    }

    @Test
    void a_listener_that_throws_does_not_stop_the_reader() throws Exception {
        RecordingListener good = new RecordingListener();
        InProcessSerialPipe other = new InProcessSerialPipe("door-2");
        ReaderListener throwing = new ReaderListener() {
            @Override
            public void onCardRead(CardRead read) {
                good.onCardRead(read);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onStatus(ReaderStatus status) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (Rdm6300Reader faulty = new Rdm6300Reader("door-2", other.hostEnd(), throwing, clock)) {
            faulty.start();
            other.deviceEnd().open();
            other.deviceEnd().write(Rdm6300Encoder.encode(Rdm6300Frame.ofHex("62E3086CED")));
            other.deviceEnd().write(Rdm6300Encoder.encode(Rdm6300Frame.ofHex("0A00D6E3F2")));
            assertThat(good.nextRead(WAIT).cardId()).isEqualTo("62E3086CED");
            assertThat(good.nextRead(WAIT).cardId()).isEqualTo("0A00D6E3F2");
            assertThat(faulty.counters().online()).isTrue();
            assertThat(faulty.counters().reconnects()).isZero();
        }
    }

    @Test
    void unplugging_reports_offline_once_and_replugging_reports_online_and_reads_resume() throws Exception {
        pipe.disconnect();
        ReaderStatus offline = listener.nextStatus(WAIT);
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).isEqualTo("inproc:door-1: Input/output error (device unplugged)");
        assertThat(listener.statuses.poll(300, TimeUnit.MILLISECONDS)).as("no repeated reports while retrying").isNull();
        assertThat(reader.counters().online()).isFalse();

        pipe.reconnect();
        assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(reader.counters().reconnects()).isEqualTo(1);
        device.open();
        send("62E3086CED");
        assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("62E3086CED");
    }

    @Test
    void close_stops_the_reader_thread_reports_offline_and_releases_the_link() throws Exception {
        assertThat(reader.threadAlive()).isTrue();
        reader.close();
        assertThat(reader.threadAlive()).isFalse();
        assertThat(pipe.hostEnd().isOpen()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-door-1"));
        ReaderStatus last = listener.nextStatus(WAIT);
        assertThat(last.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(last.detail()).isEqualTo("inproc:door-1: reader stopped");
        assertThat(reader.counters().online()).isFalse();
        reader.close();
    }
}
