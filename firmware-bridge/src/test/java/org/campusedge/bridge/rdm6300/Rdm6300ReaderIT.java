package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPairExtension;
import org.campusedge.bridge.serial.RecordingListener;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.campusedge.bridge.serial.SerialSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RDM6300 driver on a real pseudo-terminal pair: the driver opens one end through jssc at
 * 9600 8N1, the simulator writes real frames into the other end through another jssc link, and
 * socat is stopped and started again to unplug and replug the "reader".
 */
class Rdm6300ReaderIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final PtyPairExtension pty = new PtyPairExtension("ttyReader", "ttyDevice");
    private final RecordingListener listener = new RecordingListener();

    private Rdm6300Reader reader(Clock clock) {
        return new Rdm6300Reader("lab-door", new JsscSerialLink(SerialSettings.of8N1(pty.first().toString(), 9600)),
                listener, clock, Duration.ofMillis(500), new SerialReaderLoop.Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private SerialLink device() throws Exception {
        SerialLink link = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), 9600));
        link.open();
        return link;
    }

    @Test
    void held_tag_is_one_read_two_cards_are_two_and_garbage_is_counted() throws Exception {
        Instant before = Instant.now();
        try (Rdm6300Reader reader = reader(Clock.systemUTC());
             SerialLink device = device();
             Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
            reader.start();
            assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);

            int repeats = sim.present("62E3086CED", Duration.ofMillis(400));
            CardRead first = listener.nextRead(WAIT);
            assertThat(first.cardId()).isEqualTo("62E3086CED");
            assertThat(first.format()).isEqualTo("EM4100");
            assertThat(first.readAt()).isAfterOrEqualTo(before);
            assertThat(listener.reads.poll(300, TimeUnit.MILLISECONDS)).as("a held tag is read once").isNull();
            assertThat(reader.counters().duplicates()).isEqualTo(repeats - 1L);

            sim.sendGarbage(new byte[] {0x55, 0x02, '1', '2', 0x03, (byte) 0xFF});
            sim.sendCorrupt("0A00D6E3F2");
            sim.present("0A00D6E3F2", Duration.ofMillis(100));
            assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("0A00D6E3F2");
            assertThat(listener.reads.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(reader.counters().cardReads()).isEqualTo(2);
            assertThat(reader.counters().droppedBytes()).as("0x55, STX '1' '2' ETX, 0xFF").isEqualTo(6);
            assertThat(reader.counters().resyncs()).isEqualTo(1);
            assertThat(reader.counters().checksumErrors()).isEqualTo(1);
        }
    }

    @Test
    void killing_socat_reports_offline_and_restarting_it_brings_the_reader_back_online() throws Exception {
        try (Rdm6300Reader reader = reader(Clock.systemUTC())) {
            reader.start();
            assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
            try (SerialLink device = device(); Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
                sim.present("62E3086CED", Duration.ZERO);
                assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("62E3086CED");
            }

            pty.unplug();
            ReaderStatus offline = listener.nextStatus(WAIT);
            assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(offline.detail()).isEqualTo(pty.first() + ": Input/output error");
            Thread.sleep(500);
            assertThat(listener.statuses).as("one OFFLINE while the reader retries").isEmpty();
            assertThat(reader.counters().online()).isFalse();

            pty.replug();
            ReaderStatus online = listener.nextStatus(WAIT);
            assertThat(online.state()).isEqualTo(ReaderStatus.State.ONLINE);
            assertThat(reader.counters().reconnects()).isEqualTo(1);
            try (SerialLink device = device(); Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
                sim.present("1F00A4B2C3", Duration.ofMillis(100));
                assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("1F00A4B2C3");
            }
        }
        assertThat(listener.nextStatus(WAIT).state()).as("close reports the reader offline").isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-lab-door"));
    }

    @Test
    void missing_port_is_reported_offline_with_its_path_and_found_once_it_appears() throws Exception {
        pty.unplug();
        try (Rdm6300Reader reader = reader(Clock.systemUTC())) {
            reader.start();
            ReaderStatus s = listener.nextStatus(WAIT);
            assertThat(s.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(s.detail()).isEqualTo(pty.first() + ": no such device");
            pty.replug();
            assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
            assertThat(reader.counters().reconnects()).as("first successful open is no reconnect").isZero();
        }
    }
}
