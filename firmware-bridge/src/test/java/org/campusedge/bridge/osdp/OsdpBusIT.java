package org.campusedge.bridge.osdp;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPair;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The ACU on one end of a real pseudo-terminal pair through jssc, simulated PDs on the other. */
class OsdpBusIT {

    @TempDir
    Path dir;

    @Test
    void four_readers_on_one_bus_over_a_pty_read_cards_and_get_feedback() throws Exception {
        BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
        AtomicReference<OsdpPeripheral[]> pds = new AtomicReference<>();
        ReaderListener listener = new ReaderListener() {
            @Override
            public void onCardRead(CardRead read) {
                for (OsdpPeripheral pd : pds.get()) {
                    if (pd.id().equals(read.readerId())) {
                        new OsdpDoor(pd, true).apply(Feedback.grant(Duration.ofSeconds(2)));
                    }
                }
                reads.add(read);
            }

            @Override
            public void onStatus(ReaderStatus status) {
            }
        };
        try (PtyPair pty = PtyPair.open(dir.resolve("acu"), dir.resolve("bus"));
             SerialLink device = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), 115_200))) {
            device.open();
            try (OsdpPdSimulator sim = new OsdpPdSimulator(device, 1, 2, 3, 4);
                 OsdpBus bus = new OsdpBus("it", new JsscSerialLink(SerialSettings.of8N1(pty.first().toString(), 115_200)),
                         OsdpBus.Options.defaults(), Clock.systemUTC())) {
                OsdpPeripheral[] four = new OsdpPeripheral[4];
                for (int i = 0; i < 4; i++) {
                    four[i] = bus.add("door-" + (i + 1), i + 1, listener);
                }
                pds.set(four);
                bus.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!(four[0].online() && four[1].online() && four[2].online() && four[3].online())) {
                    assertThat(System.nanoTime()).as("all PDs online").isLessThan(deadline);
                    Thread.sleep(10);
                }
                sim.presentCard(3, 26, HexFormat.of().parseHex("80800080"));
                CardRead read = reads.poll(5, TimeUnit.SECONDS);
                assertThat(read).isNotNull();
                assertThat(read.readerId()).isEqualTo("door-3");
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (sim.received().stream().noneMatch(r -> r.address() == 3 && r.command() == OsdpCommand.OUT)) {
                    assertThat(System.nanoTime()).as("strike pulse sent").isLessThan(deadline);
                    Thread.sleep(10);
                }
                sim.setSilent(2, true);
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (four[1].online()) {
                    assertThat(System.nanoTime()).as("silent PD offline").isLessThan(deadline);
                    Thread.sleep(10);
                }
                assertThat(four[0].online() && four[2].online() && four[3].online()).isTrue();
            }
        }
    }
}
