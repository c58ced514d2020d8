package org.campusedge.agent.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code campus-edge devices} against a fake sysfs laid out as a Pi's kernel lays out the real one. */
class DevicesCommandTest {

    @TempDir
    Path sys;

    private final StringWriter out = new StringWriter();

    @BeforeEach
    void fakeSysfs() throws IOException {
        Path usb = sys.resolve("devices/platform/scb/fd500000.pcie/pci0000:00/0000:01:00.0/usb1/1-1");
        // FTDI FT232R on port 1-1.3: usb-serial port dir under the interface.
        usbTty(usb.resolve("1-1.3"), "1-1.3:1.0/ttyUSB0", "ttyUSB0", "0403", "6001", "FTDI", "FT232R USB UART", "A10K5XYZ");
        // CH340 without a serial number on port 1-1.4.
        usbTty(usb.resolve("1-1.4"), "1-1.4:1.0/ttyUSB1", "ttyUSB1", "1a86", "7523", "", "USB Serial", null);
        // CDC-ACM RS-485 adapter: the tty's device is the interface itself.
        usbTty(usb.resolve("1-1.2"), "1-1.2:1.0", "ttyACM0", "16d0", "0ee7", "Waveshare", "USB TO RS485", "5A7B0001");
        // The Pi's own UART: a platform device, no USB parent.
        Path uart = Files.createDirectories(sys.resolve("devices/platform/soc/fe201000.serial"));
        link(sys.resolve("class/tty/ttyAMA0"), Files.createDirectories(uart.resolve("tty/ttyAMA0")));
        Files.createSymbolicLink(uart.resolve("tty/ttyAMA0/device"), uart);
        // A virtual console: no device link.
        link(sys.resolve("class/tty/tty1"), Files.createDirectories(sys.resolve("devices/virtual/tty/tty1")));
    }

    private void usbTty(Path usbDevice, String portDir, String tty, String vid, String pid, String maker,
                        String product, String serial) throws IOException {
        Path port = Files.createDirectories(usbDevice.resolve(portDir));
        Files.writeString(usbDevice.resolve("idVendor"), vid + "\n");
        Files.writeString(usbDevice.resolve("idProduct"), pid + "\n");
        if (!maker.isEmpty()) {
            Files.writeString(usbDevice.resolve("manufacturer"), maker + "\n");
        }
        Files.writeString(usbDevice.resolve("product"), product + "\n");
        if (serial != null) {
            Files.writeString(usbDevice.resolve("serial"), serial + "\n");
        }
        Path ttyDir = Files.createDirectories(port.resolve("tty/" + tty));
        Files.createSymbolicLink(ttyDir.resolve("device"), port);
        link(sys.resolve("class/tty/" + tty), ttyDir);
    }

    private static void link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(target));
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new CampusEdgeCli()).setExecutionExceptionHandler(new FailureHandler());
        cl.setOut(new PrintWriter(out, true));
        String[] all = new String[args.length + 3];
        all[0] = "devices";
        all[1] = "--sys";
        all[2] = sys.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return cl.execute(all);
    }

    @Test
    void lists_usb_serial_adapters_with_vendor_product_serial_and_port_but_not_onboard_uarts() {
        assertThat(run()).isZero();
        assertThat(out.toString())
                .contains("ttyACM0", "16d0:0ee7", "Waveshare USB TO RS485", "5A7B0001", "1-1.2")
                .contains("ttyUSB0", "0403:6001", "FTDI FT232R USB UART", "A10K5XYZ", "1-1.3")
                .contains("ttyUSB1", "1a86:7523", "(none)", "1-1.4")
                .doesNotContain("ttyAMA0", "tty1 ");
        assertThat(out.toString().indexOf("ttyACM0")).isLessThan(out.toString().indexOf("ttyUSB0"));
    }

    @Test
    void prints_the_rule_naming_an_adapter_by_serial() {
        assertThat(run("--name", "studio", "--serial", "A10K5XYZ")).isZero();
        assertThat(out.toString().strip()).isEqualTo("SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"0403\", ATTRS{idProduct}==\"6001\","
                + " ATTRS{serial}==\"A10K5XYZ\", SYMLINK+=\"campus-reader-studio\", GROUP=\"dialout\", MODE=\"0660\"");
    }

    @Test
    void picks_by_tty_and_accepts_a_serial_of_an_adapter_not_plugged_in() {
        assertThat(run("--name", "robotics", "--tty", "/dev/ttyACM0")).isZero();
        assertThat(out.toString()).contains("ATTRS{serial}==\"5A7B0001\"", "SYMLINK+=\"campus-reader-robotics\"");
        out.getBuffer().setLength(0);
        assertThat(run("--name", "maker", "--serial", "B99")).isZero();
        assertThat(out.toString().strip()).isEqualTo("SUBSYSTEM==\"tty\", ATTRS{serial}==\"B99\","
                + " SYMLINK+=\"campus-reader-maker\", GROUP=\"dialout\", MODE=\"0660\"");
    }

    @Test
    void an_adapter_without_serial_is_named_by_its_usb_port_with_a_warning() {
        assertThat(run("--name", "maker", "--tty", "ttyUSB1")).isZero();
        assertThat(out.toString()).contains("has no USB serial number", "KERNELS==\"1-1.4\"",
                "ATTRS{idVendor}==\"1a86\"", "SYMLINK+=\"campus-reader-maker\"");
    }

    @Test
    void refuses_unsafe_names_and_ambiguous_choices() {
        assertThat(run("--name", "Studio 1", "--serial", "A10K5XYZ")).isEqualTo(2);
        assertThat(run("--name", "studio", "--serial", "A\"B")).isEqualTo(2);
        assertThat(run("--name", "studio")).isEqualTo(2);   // three adapters attached
        assertThat(run("--name", "studio", "--tty", "ttyUSB9")).isEqualTo(1);
    }

    @Test
    void says_so_when_nothing_is_attached(@TempDir Path empty) {
        CommandLine cl = new CommandLine(new CampusEdgeCli());
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("devices", "--sys", empty.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("no USB-serial adapters attached");
    }
}
