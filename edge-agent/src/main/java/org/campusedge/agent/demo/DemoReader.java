package org.campusedge.agent.demo;

import org.campusedge.bridge.osdp.OsdpPdSimulator;
import org.campusedge.bridge.pn532.Pn532Simulator;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.wiegand.WiegandEncoder;
import org.campusedge.bridge.wiegand.WiegandFormat;
import org.campusedge.bridge.wiegand.WiegandFrame;

import java.time.Duration;

/**
 * The device side of one demo door: a simulated reader of the room's kind, writing real frames
 * into the reader's serial link. Holding a card is done on the caller's thread.
 */
interface DemoReader extends AutoCloseable {

    /** Holds {@code cardId} (in the reader's own card format) at the reader for {@code hold}. */
    void tap(String cardId, Duration hold) throws Exception;

    @Override
    void close();

    /** A simulator for {@code protocol} on the device end of a link (already open). */
    static DemoReader on(String protocol, SerialLink device, byte[] osdpKey) {
        return switch (protocol) {
            case "rdm6300" -> {
                Rdm6300Simulator sim = new Rdm6300Simulator(device);
                yield new DemoReader() {
                    @Override
                    public void tap(String cardId, Duration hold) throws Exception {
                        sim.present(cardId, hold);
                    }

                    @Override
                    public void close() {
                        sim.close();
                    }
                };
            }
            case "osdp" -> {
                OsdpPdSimulator sim = new OsdpPdSimulator(device, 1);
                sim.setKey(1, osdpKey);
                yield new DemoReader() {
                    @Override
                    public void tap(String cardId, Duration hold) {
                        WiegandFrame f = WiegandEncoder.card(WiegandFormat.H10301, DemoSchool.FACILITY, Integer.parseInt(cardId));
                        long left = f.bits() << (32 - f.bitCount());
                        sim.presentCard(1, f.bitCount(), new byte[] {(byte) (left >>> 24), (byte) (left >>> 16),
                            (byte) (left >>> 8), (byte) left});
                    }

                    @Override
                    public void close() {
                        sim.close();
                    }
                };
            }
            case "pn532" -> {
                Pn532Simulator sim = new Pn532Simulator("demo", device);
                sim.start();
                yield new DemoReader() {
                    @Override
                    public void tap(String cardId, Duration hold) throws InterruptedException {
                        sim.present(cardId);
                        Thread.sleep(hold.toMillis());
                        sim.remove();
                    }

                    @Override
                    public void close() {
                        sim.close();
                    }
                };
            }
            default -> throw new IllegalArgumentException("no demo simulator for " + protocol);
        };
    }
}
