package org.campusedge.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code campus-edge devices}: lists the USB-serial adapters attached to this box and prints the
 * udev rule that gives one a stable name, {@code /dev/campus-reader-NAME}, by its serial number.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List attached USB-serial adapters (for card readers) and print the udev rule that names one.",
            "Add the printed line to /etc/udev/rules.d/99-campus-edge.rules, then: udevadm control --reload && udevadm trigger"})
final class DevicesCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "NAME",
            description = "Print the rule for /dev/campus-reader-NAME (lower-case letters, digits, - and _).")
    String name;

    @Option(names = "--serial", paramLabel = "SERIAL",
            description = "The adapter's USB serial number (as listed); may be omitted when --tty is given or only one adapter is attached.")
    String serial;

    @Option(names = "--tty", paramLabel = "TTY", description = "Pick the attached adapter by its tty, e.g. ttyUSB0.")
    String tty;

    @Option(names = "--sys", paramLabel = "DIR", defaultValue = "/sys", hidden = true, description = "sysfs root (tests).")
    Path sys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<UsbSerialAdapters.Adapter> adapters = UsbSerialAdapters.list(sys);
        if (name == null) {
            if (serial != null || tty != null) {
                throw new UserFacingException("--serial and --tty need --name", FailureHandler.BAD_CONFIG);
            }
            list(out, adapters);
            return adapters.isEmpty() ? FailureHandler.CHECK_FAILED : 0;
        }
        Optional<UsbSerialAdapters.Adapter> picked = pick(adapters);
        try {
            String s = serial != null ? serial : picked.map(UsbSerialAdapters.Adapter::serial).orElse("");
            if (s.isEmpty()) {
                UsbSerialAdapters.Adapter a = picked.orElseThrow(() -> new UserFacingException(
                        "give --serial, or --tty of an attached adapter", FailureHandler.BAD_CONFIG));
                out.println("# " + a.tty() + " has no USB serial number: this rule names the USB port " + a.usbPath()
                        + " instead, so keep the adapter in that socket.");
                out.println(UsbSerialAdapters.ruleByPort(name, a));
            } else {
                out.println(UsbSerialAdapters.rule(name, s, picked.filter(a -> a.serial().equals(s))));
            }
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), FailureHandler.BAD_CONFIG);
        }
        out.flush();
        return 0;
    }

    private Optional<UsbSerialAdapters.Adapter> pick(List<UsbSerialAdapters.Adapter> adapters) throws UserFacingException {
        if (tty != null) {
            String t = tty.startsWith("/dev/") ? tty.substring(5) : tty;
            return Optional.of(adapters.stream().filter(a -> a.tty().equals(t)).findFirst().orElseThrow(() ->
                    new UserFacingException("no USB-serial adapter at " + t, FailureHandler.CHECK_FAILED)));
        }
        if (serial != null) {
            return adapters.stream().filter(a -> a.serial().equals(serial)).findFirst();
        }
        if (adapters.size() == 1) {
            return Optional.of(adapters.get(0));
        }
        throw new UserFacingException(adapters.isEmpty() ? "no USB-serial adapter attached; give --serial"
                : adapters.size() + " adapters attached; pick one with --serial or --tty", FailureHandler.BAD_CONFIG);
    }

    private static void list(PrintWriter out, List<UsbSerialAdapters.Adapter> adapters) {
        if (adapters.isEmpty()) {
            out.println("no USB-serial adapters attached (on-board UARTs: /dev/serial0, /dev/ttyAMA0)");
            out.flush();
            return;
        }
        out.printf("%-10s %-9s %-24s %-20s %s%n", "TTY", "ID", "MAKER / PRODUCT", "SERIAL", "USB PORT");
        for (UsbSerialAdapters.Adapter a : adapters) {
            out.printf("%-10s %-9s %-24s %-20s %s%n", a.tty(), a.vendorId() + ":" + a.productId(),
                    (a.manufacturer() + " " + a.product()).strip(), a.serial().isEmpty() ? "(none)" : a.serial(), a.usbPath());
        }
        out.println();
        out.println("Name one: campus-edge devices --name studio --tty " + adapters.get(0).tty());
        out.flush();
    }
}
