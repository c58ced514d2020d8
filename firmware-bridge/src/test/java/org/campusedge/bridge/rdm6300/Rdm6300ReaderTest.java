package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class Rdm6300ReaderTest {

    /** A clock the test moves by hand, read by the reader thread. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T08:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReaderStatus> statuses = new LinkedBlockingQueue<>();
    private final ReaderListener listener = new ReaderListener() {
        @Override
        public void onCardRead(CardRead read) {
            reads.add(read);
        }

        @Override
        public void onStatus(ReaderStatus status) {
            statuses.add(status);
        }
    };
    private final ManualClock clock = new ManualClock();
    private final InProcessSerialPipe pipe = new InProcessSerialPipe("door-1");
    private final Rdm6300Reader reader = new Rdm6300Reader("door-1", pipe.hostEnd(), listener, clock,
            Duration.ofSeconds(1), new SerialReaderLoop.Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
    private final SerialLink device = pipe.deviceEnd();

    @AfterEach
    void close() {
        reader.close();
    }

    private ReaderStatus nextStatus() throws InterruptedException {
        ReaderStatus s = statuses.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a status report").isNotNull();
        return s;
    }

    private void send(String card, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            device.write(Rdm6300Codec.encode(Rdm6300Frame.ofHex(card)));
        }
    }

    private void awaitFrames(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reader.counters().frames() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(reader.counters().frames()).isEqualTo(n);
    }

    @Test
    void a_held_tag_is_one_read_and_repeats_count_as_duplicates() throws Exception {
        reader.start();
        device.open();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        send("62E3086CED", 5);
        awaitFrames(5);
        CardRead read = reads.poll(1, TimeUnit.SECONDS);
        assertThat(read).isNotNull();
        assertThat(read.cardId()).isEqualTo("62E3086CED");
        assertThat(read.format()).isEqualTo("EM4100");
        assertThat(read.bitCount()).isEqualTo(40);
        assertThat(read.readerId()).isEqualTo("door-1");
        assertThat(reads).isEmpty();
        assertThat(reader.counters().duplicates()).isEqualTo(4);
    }

    @Test
    void another_card_or_the_same_card_after_the_hold_window_is_a_new_read() throws Exception {
        reader.start();
        device.open();
        nextStatus();
        send("62E3086CED", 1);
        awaitFrames(1);
        send("0A00D6E3F2", 1);
        awaitFrames(2);
        clock.advance(Duration.ofMillis(1500));
        send("0A00D6E3F2", 1);
        awaitFrames(3);
        assertThat(reads).extracting(CardRead::cardId).containsExactly("62E3086CED", "0A00D6E3F2", "0A00D6E3F2");
        assertThat(reader.counters().cardReads()).isEqualTo(3);
    }

    @Test
    void garbage_is_counted_and_does_not_stop_reads() throws Exception {
        reader.start();
        device.open();
        nextStatus();
        device.write(new byte[] {0x02, '6', '2', 0x7F, 0x55, 0x03, 0x00});
        device.write(Rdm6300Codec.encode(Rdm6300Frame.ofHex("62E3086CED"), 0x77));
        send("62E3086CED", 1);
        awaitFrames(1);
        assertThat(reads.poll(1, TimeUnit.SECONDS)).isNotNull();
        assertThat(reader.counters().droppedBytes()).isEqualTo(7);
        assertThat(reader.counters().checksumErrors()).isEqualTo(1);
        assertThat(reader.counters().resyncs()).isEqualTo(1);
    }

    @Test
    void unplugging_reports_offline_once_and_replugging_reports_online_and_reads_resume() throws Exception {
        reader.start();
        device.open();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        pipe.disconnect();
        ReaderStatus offline = nextStatus();
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).contains("inproc:door-1").contains("Input/output error");
        Thread.sleep(200);
        assertThat(statuses).as("no repeated offline reports while retrying").isEmpty();
        assertThat(reader.counters().online()).isFalse();

        pipe.reconnect();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(reader.counters().reconnects()).isEqualTo(1);
        device.open();
        send("62E3086CED", 1);
        assertThat(reads.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void close_stops_the_reader_thread_and_releases_the_link() throws Exception {
        reader.start();
        nextStatus();
        assertThat(reader.threadAlive()).isTrue();
        reader.close();
        assertThat(reader.threadAlive()).isFalse();
        assertThat(pipe.hostEnd().isOpen()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-door-1"));
    }
}
