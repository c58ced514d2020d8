package org.campusedge.bridge.pn532;

import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.bridge.serial.SerialLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator answers published commands with the published bytes, and misbehaves on request. */
class Pn532SimulatorTest {

    private final InProcessSerialPipe pipe = new InProcessSerialPipe("sim");
    private final SerialLink host = pipe.hostEnd();
    private Pn532Simulator sim;

    @BeforeEach
    void start() throws Exception {
        host.open();
        pipe.deviceEnd().open();
        sim = new Pn532Simulator("sim", pipe.deviceEnd());
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Writes {@code command} and collects what comes back within {@code within}. */
    private byte[] exchange(byte[] command, Duration within) throws Exception {
        host.write(command);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            int n = host.read(buffer, Duration.ofMillis(20));
            got.write(buffer, 0, n);
        }
        return got.toByteArray();
    }

    /**
     * Writes {@code command} and collects what comes back until {@code expected} bytes have come
     * (however busy the machine, up to 10 s), then for 50 ms more, so anything extra shows too.
     */
    private byte[] exchange(byte[] command, int expected) throws Exception {
        host.write(command);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.size() < expected && System.nanoTime() < deadline) {
            got.write(buffer, 0, host.read(buffer, Duration.ofMillis(20)));
        }
        long quiet = System.nanoTime() + Duration.ofMillis(50).toNanos();
        while (System.nanoTime() < quiet) {
            got.write(buffer, 0, host.read(buffer, Duration.ofMillis(10)));
        }
        return got.toByteArray();
    }

    /** Writes {@code command}; exactly {@code reply} must come back. */
    private void assertReply(byte[] command, byte[] reply) throws Exception {
        assertThat(exchange(command, reply.length)).isEqualTo(reply);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void answers_get_firmware_version_with_the_published_ack_and_response() throws Exception {
        assertReply(PublishedVectors.GET_FIRMWARE_VERSION.wire(), concat(PublishedVectors.ACK.wire(), PublishedVectors.FIRMWARE_VERSION_RESPONSE.wire()));
    }

    @Test
    void answers_the_published_wake_up_and_sam_configuration_with_the_published_response() throws Exception {
        byte[] wakeAndSam = concat(Pn532Encoder.wakeUp(115_200, Duration.ofMillis(1)), PublishedVectors.SAM_CONFIGURATION.wire());
        assertReply(wakeAndSam, concat(PublishedVectors.ACK.wire(), PublishedVectors.SAM_CONFIGURATION_RESPONSE.wire()));
        assertThat(sim.wakeUps()).isEqualTo(1);
    }

    @Test
    void lists_no_target_then_the_presented_card_as_published() throws Exception {
        byte[] poll = PublishedVectors.IN_LIST_PASSIVE_TARGET.wire();
        assertReply(poll, concat(PublishedVectors.ACK.wire(), PublishedVectors.hex("0000FF03FDD54B00E000")));
        sim.present("9EB36E66");
        assertReply(poll, concat(PublishedVectors.ACK.wire(), PublishedVectors.MIFARE_CLASSIC_1K.vector().wire()));
        sim.present("047BCB51962280");
        assertReply(poll, concat(PublishedVectors.ACK.wire(), PublishedVectors.MIFARE_ULTRALIGHT.vector().wire()));
        assertThat(sim.polls()).isEqualTo(3);
    }

    @Test
    void unknown_commands_get_the_error_frame() throws Exception {
        byte[] inDataExchange = Pn532Encoder.encode(new Pn532Frame.Information(Pn532Frame.Direction.HOST_TO_PN532, 0x40, new byte[] {1}));
        assertReply(inDataExchange, concat(PublishedVectors.ACK.wire(), PublishedVectors.ERROR.wire()));
    }

    @Test
    void silent_late_corrupt_and_noisy_modes() throws Exception {
        byte[] cmd = PublishedVectors.GET_FIRMWARE_VERSION.wire();
        sim.setSilent(true);
        assertThat(exchange(cmd, Duration.ofMillis(100))).isEmpty();
        sim.setSilent(false);

        sim.setReplyDelay(Duration.ofMillis(200));
        assertThat(exchange(cmd, Duration.ofMillis(100))).as("nothing before the delay").isEmpty();
        assertThat(exchange(new byte[0], 6 + 13)).hasSize(6 + 13);
        sim.setReplyDelay(Duration.ZERO);

        sim.corruptNextReplies(1);
        sim.sendGarbageBeforeNextReply(new byte[] {0x13, 0x37});
        List<Pn532Frame> frames = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(frames::add);
        byte[] got = exchange(cmd, 2 + 6 + 13);
        d.feed(got, 0, got.length);
        assertThat(frames).containsExactly(new Pn532Frame.Ack());
        assertThat(d.checksumErrors()).isEqualTo(1);
        assertThat(got).startsWith(0x13, 0x37);
        byte[] clean = concat(PublishedVectors.ACK.wire(), PublishedVectors.FIRMWARE_VERSION_RESPONSE.wire());
        assertThat(exchange(cmd, clean.length)).as("only the next reply was corrupted").isEqualTo(clean);
    }

    @Test
    void close_ends_the_named_thread() {
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("pn532-sim-sim"));
        sim.close();
        assertThat(sim.threadAlive()).isFalse();
        sim.close();
    }
}
