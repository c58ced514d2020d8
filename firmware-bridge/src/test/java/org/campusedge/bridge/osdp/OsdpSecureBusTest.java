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
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The ACU's secure channel against the simulated PD: handshake, sealed traffic, install mode, downgrades. */
class OsdpSecureBusTest {

    private static final byte[] KEY = HexFormat.of().parseHex("8c1d2e3f405162738495a6b7c8d9eafb");
    private static final byte[] CARD = HexFormat.of().parseHex("80800080");

    private final InProcessSerialPipe line = new InProcessSerialPipe("secure-bus");
    private final BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
    private final List<byte[]> installed = new CopyOnWriteArrayList<>();
    private OsdpPdSimulator sim;
    private OsdpBus bus;
    private OsdpPeripheral pd;

    private final ReaderListener listener = new ReaderListener() {
        @Override
        public void onCardRead(CardRead read) {
            reads.add(read);
            new OsdpDoor(pd, true).apply(Feedback.grant(Duration.ofSeconds(1)));
        }

        @Override
        public void onStatus(ReaderStatus status) {
        }
    };

    @BeforeEach
    void line() throws Exception {
        line.deviceEnd().open();
        sim = new OsdpPdSimulator(line.deviceEnd(), 1);
    }

    @AfterEach
    void stop() {
        if (bus != null) {
            bus.close();
        }
        sim.close();
    }

    private void startBus(OsdpSecurity security) {
        bus = new OsdpBus("sec", line.hostEnd(), new OsdpBus.Options(Duration.ofMillis(100), 1, 3, Duration.ofMillis(5), true),
                Clock.systemUTC());
        pd = bus.add("lab-door", 1, listener, Optional.ofNullable(security));
        bus.start();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void a_pd_with_its_key_gets_a_secure_channel_and_cards_and_feedback_flow_sealed() throws Exception {
        sim.setKey(1, KEY);
        startBus(OsdpSecurity.withKey(KEY));
        await("secure", () -> pd.secure());
        sim.presentCard(1, 26, CARD);
        CardRead read = reads.poll(5, TimeUnit.SECONDS);
        assertThat(read).isNotNull();
        assertThat(read.rawHex()).isEqualTo("2020002");
        assertThat(read.cardId()).as("H10301 facility 1, card 1").isEqualTo("1");
        await("sealed feedback", () -> sim.received().stream().anyMatch(r -> r.command() == OsdpCommand.OUT));
        assertThat(sim.received().stream().filter(r -> r.command() == OsdpCommand.OUT).findFirst().orElseThrow().data())
                .as("the strike command's data travels encrypted").hasSize(16);
        assertThat(pd.secureFailures()).isZero();
    }

    @Test
    void a_pd_with_another_key_is_never_talked_to_in_plaintext() throws Exception {
        sim.setKey(1, HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        startBus(OsdpSecurity.withKey(KEY));
        await("handshake failure", () -> pd.secureFailures() >= 1);
        sim.presentCard(1, 26, CARD);
        Thread.sleep(300);
        assertThat(pd.secure()).isFalse();
        assertThat(reads).isEmpty();
        assertThat(sim.received()).extracting(OsdpPdSimulator.Received::command)
                .as("only handshake steps went out").containsOnly(OsdpCommand.CHLNG);
    }

    @Test
    void install_mode_gives_the_pd_its_own_key_then_leaves_the_default_key() throws Exception {
        sim.setInstallMode(1, true);
        startBus(new OsdpSecurity(Optional.of(KEY), true, installed::add));
        await("key installed and session on it", () -> !installed.isEmpty() && pd.secure());
        assertThat(installed.get(0)).isEqualTo(KEY);
        assertThat(sim.key(1)).hasValueSatisfying(k -> assertThat(k).isEqualTo(KEY));
        assertThat(sim.received()).extracting(OsdpPdSimulator.Received::command).contains(OsdpCommand.KEYSET);
        sim.presentCard(1, 26, CARD);
        assertThat(reads.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void a_plaintext_reply_on_a_secure_channel_is_refused_and_its_card_is_not_trusted() throws Exception {
        sim.setKey(1, KEY);
        startBus(OsdpSecurity.withKey(KEY));
        await("secure", () -> pd.secure());
        sim.setDowngrade(1, true);
        sim.presentCard(1, 26, CARD);
        await("downgrade refused", () -> pd.secureFailures() >= 1);
        assertThat(reads.poll(300, TimeUnit.MILLISECONDS)).as("a card in a plaintext reply is dropped").isNull();
        sim.setDowngrade(1, false);
        await("secure again", () -> pd.secure());
    }

    @Test
    void a_secured_pd_refuses_a_plaintext_acu() throws Exception {
        sim.setKey(1, KEY);
        startBus(null);
        await("naks", () -> pd.naks() >= 2);
        assertThat(pd.secure()).isFalse();
    }
}
