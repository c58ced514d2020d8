package org.campusedge.agent.cli;

import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.Permission;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.osdp.OsdpBus;
import org.campusedge.bridge.osdp.OsdpCommand;
import org.campusedge.bridge.osdp.OsdpDoor;
import org.campusedge.bridge.osdp.OsdpPdSimulator;
import org.campusedge.bridge.osdp.OsdpPeripheral;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code campus-edge bench osdp}: with several readers polled on one bus, how long from the last
 * byte of a card-read reply leaving the reader until the door's feedback command has arrived
 * back at that reader — decoding, the access decision, queueing and encoding, as the agent does
 * them. The line is an in-process pipe, so the figure is processing time, not 115200-baud wire time.
 */
@Command(name = "osdp", mixinStandardHelpOptions = true,
        description = "Card-read reply to feedback command latency with several OSDP readers on one bus.")
final class OsdpBench implements Callable<Integer> {

    @Option(names = "--readers", defaultValue = "4", description = "PDs on the bus (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--taps", defaultValue = "2000", description = "Cards presented (default: ${DEFAULT-VALUE}).")
    int taps;

    @Override
    public Integer call() throws Exception {
        AccessDecider decider = new AccessDecider(AllowList.of(1, List.of(new Permission("1", "S-1",
                Set.of("lab"), false, Optional.empty(), Optional.empty()))), ZoneId.of("UTC"));
        InProcessSerialPipe line = new InProcessSerialPipe("bench-bus");
        line.deviceEnd().open();
        int[] addresses = new int[readers];
        for (int i = 0; i < readers; i++) {
            addresses[i] = i + 1;
        }
        OsdpPeripheral[] pds = new OsdpPeripheral[readers];
        long[] lat = new long[taps];
        try (OsdpPdSimulator sim = new OsdpPdSimulator(line.deviceEnd(), addresses);
             OsdpBus bus = new OsdpBus("bench", line.hostEnd(), OsdpBus.Options.defaults(), Clock.systemUTC())) {
            for (int i = 0; i < readers; i++) {
                int index = i;
                pds[i] = bus.add("door-" + (i + 1), i + 1, new ReaderListener() {
                    @Override
                    public void onCardRead(CardRead read) {
                        boolean granted = decider.decide(read.cardId(), "lab", read.readAt()).granted();
                        new OsdpDoor(pds[index], true).apply(granted ? Feedback.grant(Duration.ofSeconds(3)) : Feedback.deny());
                    }

                    @Override
                    public void onStatus(ReaderStatus status) {
                    }
                });
            }
            bus.start();
            waitUntil(() -> Arrays.stream(pds).allMatch(OsdpPeripheral::online), "all PDs online");
            byte[] card = HexFormat.of().parseHex("80800080");
            for (int t = 0; t < taps; t++) {
                int address = t % readers + 1;
                int seen = sim.received().size();
                sim.presentCard(address, 26, card);
                long ledAt = waitForLed(sim, address, seen);
                lat[t] = ledAt - sim.lastCardReplyNanos(address);
            }
        }
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "osdp bench: %d readers on one bus, %d card reads (cold start included)%n", readers, taps);
        System.out.printf(Locale.ROOT, "  card reply last byte -> feedback command at the reader: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                lat[taps / 2] / 1e6, lat[(int) (taps * 0.99)] / 1e6, lat[taps - 1] / 1e6);
        System.out.printf(Locale.ROOT, "  target p99 <= 2 ms: %s%n", lat[(int) (taps * 0.99)] <= 2_000_000 ? "met" : "NOT met");
        return 0;
    }

    private static long waitForLed(OsdpPdSimulator sim, int address, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<OsdpPdSimulator.Received> all = sim.received();
            for (int i = from; i < all.size(); i++) {
                if (all.get(i).address() == address && all.get(i).command() == OsdpCommand.LED) {
                    return all.get(i).atNanos();
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        throw new IllegalStateException("no feedback from the bus within 5 s");
    }

    private static void waitUntil(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
