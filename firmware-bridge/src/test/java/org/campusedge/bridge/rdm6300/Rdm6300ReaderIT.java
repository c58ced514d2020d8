package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPair;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.campusedge.bridge.serial.SerialSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RDM6300 driver on a real pseudo-terminal pair: the driver opens one end through jssc, the
 * simulator writes real frames into the other, socat is killed and restarted to unplug and
 * replug the "reader".
 */
class Rdm6300ReaderIT {

    @TempDir
    Path dir;

    private final BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReaderStatus> statuses = new LinkedBlockingQueue<>();

    private ReaderListener listener() {
        return new ReaderListener() {
            @Override
            public void onCardRead(CardRead read) {
                reads.add(read);
            }

            @Override
            public void onStatus(ReaderStatus status) {
                statuses.add(status);
            }
        };
    }

    private ReaderStatus nextStatus() throws InterruptedException {
        ReaderStatus s = statuses.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a status report").isNotNull();
        return s;
    }

    @Test
    void reads_cards_across_a_pty_and_survives_the_device_going_away() throws Exception {
        Path readerEnd = dir.resolve("ttyReader");
        Path deviceEnd = dir.resolve("ttyDevice");
        PtyPair pty = PtyPair.open(readerEnd, deviceEnd);
        try (Rdm6300Reader reader = new Rdm6300Reader("lab-door", new JsscSerialLink(SerialSettings.of8N1(readerEnd.toString(), 9600)),
                listener(), Clock.systemUTC(), Duration.ofMillis(500),
                new SerialReaderLoop.Backoff(Duration.ofMillis(50), Duration.ofMillis(400)))) {
            reader.start();
            assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);

            try (SerialLink device = new JsscSerialLink(SerialSettings.of8N1(deviceEnd.toString(), 9600));
                 Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
                device.open();
                sim.present("62E3086CED", Duration.ofMillis(400));
                CardRead first = reads.poll(5, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                assertThat(first.cardId()).isEqualTo("62E3086CED");
                assertThat(reads.poll(300, TimeUnit.MILLISECONDS)).as("held tag read once").isNull();
                assertThat(reader.counters().duplicates()).isPositive();

                sim.sendGarbage(new byte[] {0x55, 0x02, '1', '2', 0x03, (byte) 0xFF});
                sim.sendCorrupt("0A00D6E3F2");
                sim.present("0A00D6E3F2", Duration.ofMillis(100));
                CardRead second = reads.poll(5, TimeUnit.SECONDS);
                assertThat(second).isNotNull();
                assertThat(second.cardId()).isEqualTo("0A00D6E3F2");
                assertThat(reader.counters().droppedBytes()).isGreaterThanOrEqualTo(6);
                assertThat(reader.counters().checksumErrors()).isEqualTo(1);
            }

            pty.close();
            ReaderStatus offline = nextStatus();
            assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(offline.detail()).contains(readerEnd.toString());

            pty = PtyPair.open(readerEnd, deviceEnd);
            assertThat(nextStatus().state()).isEqualTo(ReaderStatus.State.ONLINE);
            assertThat(reader.counters().reconnects()).isPositive();
            try (SerialLink device = new JsscSerialLink(SerialSettings.of8N1(deviceEnd.toString(), 9600));
                 Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
                device.open();
                sim.present("1F00A4B2C3", Duration.ofMillis(100));
                CardRead afterReplug = reads.poll(5, TimeUnit.SECONDS);
                assertThat(afterReplug).isNotNull();
                assertThat(afterReplug.cardId()).isEqualTo("1F00A4B2C3");
            }
        } finally {
            pty.close();
        }
    }

    @Test
    void a_missing_port_is_reported_offline_with_its_path() throws Exception {
        Path missing = dir.resolve("no-such-tty");
        try (Rdm6300Reader reader = new Rdm6300Reader("ghost", new JsscSerialLink(SerialSettings.of8N1(missing.toString(), 9600)),
                listener(), Clock.systemUTC())) {
            reader.start();
            ReaderStatus s = nextStatus();
            assertThat(s.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(s.detail()).isEqualTo(missing + ": no such device");
        }
    }
}
