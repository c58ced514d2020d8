package org.campusedge.bridge.serial;

import org.campusedge.bridge.ReaderStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialReaderLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Delegates to a pipe end and records when open() was attempted. */
    static final class RecordingLink implements SerialLink {
        final SerialLink delegate;
        final List<Long> openAttempts = new CopyOnWriteArrayList<>();

        RecordingLink(SerialLink delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void open() throws SerialLinkException {
            openAttempts.add(System.nanoTime());
            delegate.open();
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public int read(byte[] buffer, Duration timeout) throws SerialLinkException {
            return delegate.read(buffer, timeout);
        }

        @Override
        public void write(byte[] bytes) throws SerialLinkException {
            delegate.write(bytes);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final InProcessSerialPipe pipe = new InProcessSerialPipe("lab");
    private final RecordingLink link = new RecordingLink(pipe.hostEnd());
    private final BlockingQueue<ReaderStatus> statuses = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<SerialReaderLoop> loops = new ArrayList<>();

    private SerialReaderLoop loop(SerialReaderLoop.Backoff backoff, SerialReaderLoop.ByteSink sink) {
        SerialReaderLoop loop = new SerialReaderLoop("lab", link, sink, statuses::add, backoff, new ManualClock());
        loops.add(loop);
        return loop;
    }

    private SerialReaderLoop loop(SerialReaderLoop.Backoff backoff) {
        return loop(backoff, (bytes, n) -> {
            synchronized (received) {
                received.write(bytes, 0, n);
            }
        });
    }

    private byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    @AfterEach
    void closeAll() {
        loops.forEach(SerialReaderLoop::close);
    }

    private ReaderStatus nextStatus() throws InterruptedException {
        ReaderStatus s = statuses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("a status report").isNotNull();
        return s;
    }

    private void awaitReceived(int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received().length < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    @Test
    void reports_online_once_and_delivers_bytes_in_order_on_its_named_thread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        SerialReaderLoop loop = loop(SerialReaderLoop.Backoff.defaults(), (bytes, n) -> {
            threads.add(Thread.currentThread().getName());
            synchronized (received) {
                received.write(bytes, 0, n);
            }
        });
        loop.start();
        ReaderStatus online = nextStatus();
        assertThat(online.state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(online.readerId()).isEqualTo("lab");
        assertThat(online.detail()).isEqualTo("inproc:lab: open");
        pipe.deviceEnd().open();
        for (int i = 0; i < 100; i++) {
            pipe.deviceEnd().write(new byte[] {(byte) i});
        }
        awaitReceived(100);
        assertThat(received()).hasSize(100).startsWith(0, 1, 2).endsWith(97, 98, 99);
        assertThat(threads).containsOnly("reader-lab");
        assertThat(loop.threadName()).isEqualTo("reader-lab");
        assertThat(statuses.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThat(loop.online()).isTrue();
    }

    @Test
    void a_missing_device_is_reported_offline_once_while_retries_back_off_up_to_the_cap() throws Exception {
        pipe.disconnect();
        SerialReaderLoop loop = loop(new SerialReaderLoop.Backoff(Duration.ofMillis(20), Duration.ofMillis(80)));
        loop.start();
        ReaderStatus offline = nextStatus();
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).isEqualTo("inproc:lab: no such device");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (link.openAttempts.size() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(statuses).as("one report however many attempts").isEmpty();
        assertThat(link.openAttempts).as("open attempts in 10 s").hasSizeGreaterThanOrEqualTo(8);
        List<Long> at = new ArrayList<>(link.openAttempts).subList(0, 8);
        List<Long> gapsMs = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) {
            gapsMs.add(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1)));
        }
        // 20, 40, 80, 80, ... ms: doubling, then capped. The lower bounds are checked gap by gap; the cap
        // shows in the sum: 7 gaps capped at 80 ms take 460 ms, uncapped doubling (20+40+...+1,280) 2,540 ms,
        // so under 2,000 leaves a busy machine 1.5 s of late wake-ups.
        assertThat(gapsMs.get(0)).isGreaterThanOrEqualTo(19L);
        assertThat(gapsMs.get(1)).isGreaterThanOrEqualTo(39L);
        assertThat(gapsMs.subList(2, gapsMs.size())).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(79L));
        assertThat(gapsMs.stream().mapToLong(Long::longValue).sum()).as("gaps %s", gapsMs).isLessThan(2_000L);
        assertThat(loop.online()).isFalse();
        assertThat(loop.reconnects()).isZero();
    }

    @Test
    void unplug_reports_offline_with_the_cause_and_replug_reports_online_and_counts_a_reconnect() throws Exception {
        SerialReaderLoop loop = loop(new SerialReaderLoop.Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
        loop.start();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);

        pipe.disconnect();
        ReaderStatus offline = nextStatus();
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).isEqualTo("inproc:lab: Input/output error (device unplugged)");
        assertThat(pipe.hostEnd().isOpen()).isFalse();
        assertThat(statuses.poll(200, TimeUnit.MILLISECONDS)).as("not repeated while retrying").isNull();

        pipe.reconnect();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(loop.reconnects()).isEqualTo(1);
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {42});
        awaitReceived(1);
        assertThat(received()).containsExactly(42);
    }

    @Test
    void close_stops_the_thread_closes_the_link_and_reports_offline_once() throws Exception {
        SerialReaderLoop loop = loop(SerialReaderLoop.Backoff.defaults());
        loop.start();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(loop.threadAlive()).isTrue();

        long t0 = System.nanoTime();
        loop.close();
        assertThat(System.nanoTime() - t0).as("stops within a read timeout or so, not hanging").isLessThan(Duration.ofSeconds(2).toNanos());
        assertThat(loop.threadAlive()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-lab"));
        assertThat(pipe.hostEnd().isOpen()).isFalse();
        ReaderStatus last = nextStatus();
        assertThat(last.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(last.detail()).isEqualTo("inproc:lab: reader stopped");

        loop.close();
        assertThat(statuses).isEmpty();
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void close_during_a_long_backoff_wait_returns_promptly() throws Exception {
        pipe.disconnect();
        SerialReaderLoop loop = loop(new SerialReaderLoop.Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        loop.start();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.OFFLINE);
        long t0 = System.nanoTime();
        loop.close();
        assertThat(System.nanoTime() - t0).as("well before the 5 s backoff ends").isLessThan(Duration.ofMillis(2_500).toNanos());
        assertThat(loop.threadAlive()).isFalse();
        assertThat(statuses).as("already offline: nothing new to report").isEmpty();
    }

    @Test
    void tick_runs_on_the_reader_thread_while_idle_and_a_failing_write_in_it_reconnects() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        SerialReaderLoop loop = new SerialReaderLoop("lab", link, (bytes, n) -> { }, () -> {
            threads.add(Thread.currentThread().getName());
            if (fail.getAndSet(false)) {
                throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, "inproc:lab", "write failed");
            }
        }, statuses::add, new SerialReaderLoop.Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), new ManualClock());
        loops.add(loop);
        loop.start();
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (threads.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(threads).hasSizeGreaterThanOrEqualTo(3).containsOnly("reader-lab");
        fail.set(true);
        ReaderStatus offline = nextStatus();
        assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(offline.detail()).isEqualTo("inproc:lab: write failed");
        assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
        assertThat(loop.reconnects()).isEqualTo(1);
    }

    @Test
    void a_byte_sink_that_throws_is_counted_and_reading_goes_on_without_reconnecting() throws Exception {
        List<Byte> seen = new CopyOnWriteArrayList<>();
        SerialReaderLoop loop = loop(SerialReaderLoop.Backoff.defaults(), (bytes, n) -> {
            seen.add(bytes[0]);
            if (bytes[0] == 1) {
                throw new IllegalStateException("decoder bug");
            }
        });
        loop.start();
        nextStatus();
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {1});
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (loop.callbackFailures() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        pipe.deviceEnd().write(new byte[] {2});
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(seen).containsExactly((byte) 1, (byte) 2);
        assertThat(loop.callbackFailures()).isEqualTo(1);
        assertThat(loop.reconnects()).isZero();
        assertThat(statuses).isEmpty();
    }

    @Test
    void backoff_doubles_up_to_its_cap_and_rejects_nonsense() {
        SerialReaderLoop.Backoff b = SerialReaderLoop.Backoff.defaults();
        assertThat(b.initial()).isEqualTo(Duration.ofMillis(100));
        List<Duration> waits = new ArrayList<>();
        Duration d = b.initial();
        for (int i = 0; i < 8; i++) {
            waits.add(d);
            d = b.next(d);
        }
        assertThat(waits).extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        assertThatThrownBy(() -> new SerialReaderLoop.Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SerialReaderLoop.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
