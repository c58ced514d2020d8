package org.campusedge.bridge.pn532;

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
 * The PN532 driver on a real pseudo-terminal pair: the driver opens one end through jssc at
 * 115200 8N1, the simulator answers on the other end through another jssc link, and socat is
 * stopped and started again to unplug and replug the "reader".
 */
class Pn532ReaderIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BAUD = 115_200;

    @RegisterExtension
    final PtyPairExtension pty = new PtyPairExtension("ttyPn532", "ttyPn532Device");
    private final RecordingListener listener = new RecordingListener();

    private Pn532Reader reader() {
        return new Pn532Reader("lab-door", new JsscSerialLink(SerialSettings.of8N1(pty.first().toString(), BAUD)), listener,
                Clock.systemUTC(), new Pn532ReaderSettings(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(500), 3,
                        new SerialReaderLoop.Backoff(Duration.ofMillis(50), Duration.ofMillis(400))));
    }

    private SerialLink device() throws Exception {
        SerialLink link = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), BAUD));
        link.open();
        return link;
    }

    @Test
    void held_cards_are_read_once_and_a_silent_pn532_goes_offline_and_back() throws Exception {
        Instant before = Instant.now();
        try (SerialLink device = device();
             Pn532Simulator sim = new Pn532Simulator("lab-door", device);
             Pn532Reader reader = reader()) {
            sim.start();
            reader.start();
            assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
            assertThat(sim.wakeUps()).isGreaterThanOrEqualTo(1);

            sim.present("9EB36E66");
            CardRead first = listener.nextRead(WAIT);
            assertThat(first.cardId()).isEqualTo("9EB36E66");
            assertThat(first.format()).isEqualTo("ISO14443A");
            assertThat(first.bitCount()).isEqualTo(32);
            assertThat(first.readAt()).isAfterOrEqualTo(before);
            assertThat(listener.reads.poll(400, TimeUnit.MILLISECONDS)).as("a held card is read once").isNull();
            assertThat(reader.counters().duplicates()).isPositive();

            sim.sendGarbageBeforeNextReply(new byte[] {0x55, (byte) 0xAA, 0x13});
            sim.corruptNextReplies(1);
            sim.present("047BCB51962280");
            CardRead second = listener.nextRead(WAIT);
            assertThat(second.cardId()).isEqualTo("047BCB51962280");
            assertThat(second.bitCount()).isEqualTo(56);
            assertThat(reader.counters().droppedBytes()).isGreaterThanOrEqualTo(3);
            assertThat(reader.counters().checksumErrors()).isEqualTo(1);

            sim.setSilent(true);
            ReaderStatus offline = listener.nextStatus(WAIT);
            assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(offline.detail()).startsWith(pty.first() + ": no answer from the PN532");
            sim.setSilent(false);
            assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
            assertThat(reader.counters().reconnects()).isZero();
        }
    }

    @Test
    void killing_socat_reports_offline_and_restarting_it_brings_the_reader_back_online() throws Exception {
        try (Pn532Reader reader = reader()) {
            try (SerialLink device = device(); Pn532Simulator sim = new Pn532Simulator("lab-door", device)) {
                sim.start();
                reader.start();
                assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
                sim.present("6E8AE2B0");
                assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("6E8AE2B0");

                pty.unplug();
                ReaderStatus offline = listener.nextStatus(WAIT);
                assertThat(offline.state()).isEqualTo(ReaderStatus.State.OFFLINE);
                assertThat(offline.detail()).startsWith(pty.first().toString());
                Thread.sleep(500);
                assertThat(listener.statuses).as("one OFFLINE while the reader retries").isEmpty();
                assertThat(reader.counters().online()).isFalse();
            }

            pty.replug();
            try (SerialLink device = device(); Pn532Simulator sim = new Pn532Simulator("lab-door-2", device)) {
                sim.start();
                ReaderStatus online = listener.nextStatus(WAIT);
                assertThat(online.state()).isEqualTo(ReaderStatus.State.ONLINE);
                assertThat(reader.counters().reconnects()).isEqualTo(1);
                sim.present("8A4CB512");
                assertThat(listener.nextRead(WAIT).cardId()).isEqualTo("8A4CB512");
            }
        }
        assertThat(listener.nextStatus(WAIT).state()).as("close reports the reader offline").isEqualTo(ReaderStatus.State.OFFLINE);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("reader-lab-door") || t.getName().startsWith("pn532-sim-lab-door"));
    }

    @Test
    void missing_port_is_reported_offline_with_its_path_and_found_once_it_appears() throws Exception {
        pty.unplug();
        try (Pn532Reader reader = reader()) {
            reader.start();
            ReaderStatus s = listener.nextStatus(WAIT);
            assertThat(s.state()).isEqualTo(ReaderStatus.State.OFFLINE);
            assertThat(s.detail()).isEqualTo(pty.first() + ": no such device");
            pty.replug();
            try (SerialLink device = device(); Pn532Simulator sim = new Pn532Simulator("lab-door", device)) {
                sim.start();
                assertThat(listener.nextStatus(WAIT).state()).isEqualTo(ReaderStatus.State.ONLINE);
                assertThat(reader.counters().reconnects()).as("first successful open is no reconnect").isZero();
            }
        }
    }
}
