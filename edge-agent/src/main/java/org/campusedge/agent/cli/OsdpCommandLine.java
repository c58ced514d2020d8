package org.campusedge.agent.cli;

import org.campusedge.bridge.osdp.OsdpDecoder;
import org.campusedge.bridge.osdp.OsdpPacket;
import org.campusedge.bridge.osdp.OsdpReplies;
import org.campusedge.bridge.osdp.OsdpReply;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;
import org.campusedge.bridge.serial.SerialSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code campus-edge osdp decode|monitor}: what installers reach for when an RS-485 bus misbehaves. */
@Command(name = "osdp", mixinStandardHelpOptions = true, description = "OSDP tools for installers.",
        subcommands = {OsdpCommandLine.Decode.class, OsdpCommandLine.Monitor.class})
final class OsdpCommandLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** One line describing a packet: direction, address, sequence, check mode, name, decoded body. */
    static String describe(OsdpPacket p) {
        StringBuilder b = new StringBuilder();
        b.append(p.reply() ? "PD->ACU " : "ACU->PD ");
        b.append(String.format(Locale.ROOT, "addr %3d sqn %d %-8s ", p.address(), p.sequence(), p.crc() ? "crc16" : "checksum"));
        b.append(p.reply() ? p.replyCode().map(r -> "osdp_" + r.name()).orElse(String.format("reply 0x%02X", p.code()))
                : p.command().map(c -> "osdp_" + c.name()).orElse(String.format("command 0x%02X", p.code())));
        p.security().ifPresent(s -> b.append(String.format(Locale.ROOT, " [SCS_%02X]", s.type())));
        byte[] data = p.data();
        if (data.length > 0) {
            b.append(" data ").append(HexFormat.of().formatHex(data));
        }
        if (p.reply() && p.security().isEmpty()) {
            b.append(body(p, data));
        }
        return b.toString();
    }

    private static String body(OsdpPacket p, byte[] data) {
        try {
            return switch (p.replyCode().orElse(OsdpReply.MFGREP)) {
                case NAK -> " (" + OsdpReplies.nak(data).meaning() + ")";
                case RAW -> {
                    OsdpReplies.RawCard c = OsdpReplies.rawCard(data);
                    yield " (reader " + c.reader() + ", " + c.bitCount() + " bits " + c.hex() + ")";
                }
                case PDID -> " (" + OsdpReplies.pdId(data) + ")";
                case LSTATR -> " (" + OsdpReplies.localStatus(data) + ")";
                case KEYPAD -> " (keys " + OsdpReplies.keypad(data).digits() + ")";
                case COM -> " (" + OsdpReplies.com(data) + ")";
                default -> "";
            };
        } catch (org.campusedge.bridge.osdp.OsdpException e) {
            return " (malformed: " + e.getMessage() + ")";
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Decode captured OSDP bytes given as hex (spaces, colons and 0x prefixes allowed).",
                "Example: campus-edge osdp decode \"ff 53 65 08 00 04 60 60 90\""})
    static final class Decode implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "HEX", description = "The captured bytes.")
        List<String> hex;

        @Override
        public Integer call() throws Exception {
            String joined = String.join("", hex).replace("0x", "").replaceAll("[\\s:,-]", "");
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(joined);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("not hex: " + e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            List<OsdpPacket> packets = new ArrayList<>();
            OsdpDecoder decoder = new OsdpDecoder(packets::add);
            decoder.feed(bytes, 0, bytes.length);
            packets.forEach(p -> System.out.println(describe(p)));
            if (decoder.checkErrors() + decoder.badLengths() + decoder.malformed() + decoder.droppedBytes() > 0
                    || decoder.buffered() > 0) {
                System.out.printf("problems: %d check-character errors, %d bad lengths, %d malformed, %d bytes dropped,"
                        + " %d bytes of an unfinished packet%n", decoder.checkErrors(), decoder.badLengths(),
                        decoder.malformed(), decoder.droppedBytes(), decoder.buffered());
            }
            return packets.isEmpty() ? FailureHandler.CHECK_FAILED : 0;
        }
    }

    @Command(name = "monitor", mixinStandardHelpOptions = true,
            description = {"Listen passively on an RS-485 bus (a second adapter, receive only) and print every",
                "decoded packet with its time and the gap since the previous one. Stops on Ctrl-C."})
    static final class Monitor implements Callable<Integer> {

        @Option(names = "--port", required = true, paramLabel = "DEVICE", description = "Serial device, e.g. /dev/ttyUSB1.")
        String port;

        @Option(names = "--baud", defaultValue = "9600", description = "Bus speed (default: ${DEFAULT-VALUE}).")
        int baud;

        @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0: until Ctrl-C).")
        long seconds;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            long[] last = {System.nanoTime()};
            OsdpDecoder decoder = new OsdpDecoder(p -> {
                long now = System.nanoTime();
                out.printf(Locale.ROOT, "%s +%7.1f ms  %s%n", LocalTime.now().format(TIME), (now - last[0]) / 1e6, describe(p));
                last[0] = now;
            });
            long end = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
            try (SerialLink link = new JsscSerialLink(SerialSettings.of8N1(port, baud))) {
                link.open();
                out.printf("monitoring %s at %d baud%n", port, baud);
                byte[] buf = new byte[512];
                while (System.nanoTime() < end) {
                    int n = link.read(buf, Duration.ofMillis(100));
                    if (n > 0) {
                        decoder.feed(buf, 0, n);
                    }
                }
            } catch (SerialLinkException e) {
                throw new UserFacingException(e.getMessage(), FailureHandler.RUNTIME_FAILURE);
            }
            out.printf("%d packets, %d check errors, %d bytes dropped%n", decoder.packets(), decoder.checkErrors(),
                    decoder.droppedBytes());
            return 0;
        }
    }
}
