package org.campusedge.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * USB-serial adapters as the kernel lists them in sysfs: each {@code /sys/class/tty/NAME/device}
 * leads (through the usb-serial port and the USB interface) up to the USB device, whose
 * {@code idVendor}, {@code idProduct}, {@code manufacturer}, {@code product} and {@code serial}
 * are the attributes udev's {@code ATTRS{…}} matches. On-board UARTs have no USB parent and are
 * left out.
 */
final class UsbSerialAdapters {

    /** Names we give in /dev/campus-reader-NAME: what a config's {@code port:} can spell plainly. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** udev match values are quoted strings; refuse anything that could end the quote or glob. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._:+/ -]{1,64}");

    /** One adapter: its tty, the USB device's attributes (empty string when absent) and sysfs name. */
    record Adapter(String tty, String vendorId, String productId, String manufacturer, String product,
                   String serial, String usbPath) {
    }

    private UsbSerialAdapters() {
    }

    /** Every tty under {@code sys}/class/tty with a USB device above it, sorted by tty name. */
    static List<Adapter> list(Path sys) throws IOException {
        Path classTty = sys.resolve("class/tty");
        List<Adapter> out = new ArrayList<>();
        if (!Files.isDirectory(classTty)) {
            return out;
        }
        Path sysRoot = sys.toRealPath();
        try (DirectoryStream<Path> ttys = Files.newDirectoryStream(classTty)) {
            for (Path tty : ttys) {
                Path device = tty.resolve("device");
                if (!Files.exists(device)) {
                    continue;   // virtual consoles, ptys
                }
                usbDevice(device.toRealPath(), sysRoot).ifPresent(usb -> out.add(new Adapter(
                        tty.getFileName().toString(), attr(usb, "idVendor"), attr(usb, "idProduct"),
                        attr(usb, "manufacturer"), attr(usb, "product"), attr(usb, "serial"),
                        usb.getFileName().toString())));
            }
        }
        out.sort(Comparator.comparing(Adapter::tty));
        return out;
    }

    private static Optional<Path> usbDevice(Path from, Path sysRoot) {
        for (Path p = from; p != null && p.startsWith(sysRoot) && !p.equals(sysRoot); p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("idVendor")) && Files.isRegularFile(p.resolve("idProduct"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String attr(Path dir, String name) {
        try {
            Path f = dir.resolve(name);
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The rule that names an adapter {@code /dev/campus-reader-NAME} by its serial number (with
     * vendor and product when known, so two makes with one serial never collide).
     */
    static String rule(String name, String serial, Optional<Adapter> attached) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be lower-case letters, digits, - or _ (up to 32), got \"" + name + "\"");
        }
        if (!SAFE_VALUE.matcher(serial).matches()) {
            throw new IllegalArgumentException("--serial has characters a udev rule cannot match literally: \"" + serial + "\"");
        }
        StringBuilder r = new StringBuilder("SUBSYSTEM==\"tty\"");
        attached.ifPresent(a -> r.append(", ATTRS{idVendor}==\"").append(a.vendorId())
                .append("\", ATTRS{idProduct}==\"").append(a.productId()).append('"'));
        r.append(", ATTRS{serial}==\"").append(serial).append('"');
        r.append(", SYMLINK+=\"campus-reader-").append(name).append("\", GROUP=\"dialout\", MODE=\"0660\"");
        return r.toString();
    }

    /** For adapters without a serial number: name the physical USB port instead (moving the plug renames it). */
    static String ruleByPort(String name, Adapter a) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be lower-case letters, digits, - or _ (up to 32), got \"" + name + "\"");
        }
        return "SUBSYSTEM==\"tty\", KERNELS==\"" + a.usbPath() + "\", ATTRS{idVendor}==\"" + a.vendorId()
                + "\", ATTRS{idProduct}==\"" + a.productId() + "\", SYMLINK+=\"campus-reader-" + name
                + "\", GROUP=\"dialout\", MODE=\"0660\"";
    }
}
