package org.campusedge.agent.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code systemd-analyze verify} on deploy-scripts/systemd/campus-edge.service. systemd reports
 * unknown keys and bad values as warnings with exit 0, so any output is a failure. The copy runs
 * {@code /bin/true} as root, so a machine without Java at /usr/bin/java or the campus-edge user
 * still checks every other line.
 */
class SystemdUnitIT {

    private static final Path UNIT = Commands.DEPLOY.resolve("systemd/campus-edge.service");

    @Test
    void unit_passes_systemd_analyze_verify_without_a_warning(@TempDir Path dir) throws Exception {
        Commands.Result r = verify(dir, Files.readString(UNIT));
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void the_check_catches_a_misspelt_key_and_bad_device_rights(@TempDir Path dir) throws Exception {
        String broken = Files.readString(UNIT)
                .replace("NoNewPrivileges=yes", "NoNewPrivilege=yes")
                .replace("DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyUSB rwx");
        Commands.Result r = verify(dir, broken);
        assertThat(r.out()).contains("Unknown key", "NoNewPrivilege").contains("Invalid device rights");
    }

    @Test
    void unit_is_a_hardened_notify_service_with_a_watchdog() throws Exception {
        String unit = Files.readString(UNIT);
        assertThat(unit.lines().map(String::strip).toList()).contains(
                "Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "Restart=on-failure",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes",
                "DevicePolicy=closed", "CapabilityBoundingSet=", "User=campus-edge",
                "SupplementaryGroups=dialout gpio", "ReadWritePaths=/var/lib/campus-edge -/etc/campus-edge/keys",
                "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyACM rw", "DeviceAllow=char-ttyAMA rw",
                "DeviceAllow=char-gpiochip rw", "DeviceAllow=char-*gpiomem rw");
        assertThat(unit).contains("-Xmx256m", "-XX:+UseSerialGC", "/opt/campus-edge/current/campus-edge.jar agent --config");
    }

    @Test
    void the_agent_starts_only_after_its_configuration_passes_config_check() throws Exception {
        List<String> lines = Files.readString(UNIT).lines().map(String::strip).toList();
        int pre = indexOfStart(lines, "ExecStartPre=");
        int start = indexOfStart(lines, "ExecStart=");
        assertThat(pre).as("ExecStartPre= before ExecStart=").isNotNegative().isLessThan(start);
        assertThat(lines.get(pre)).startsWith("ExecStartPre=/usr/bin/java ")
                .endsWith("-jar /opt/campus-edge/current/campus-edge.jar config check --config ${CAMPUS_EDGE_CONFIG}");
    }

    private static int indexOfStart(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static Commands.Result verify(Path dir, String unit) throws Exception {
        String sandboxed = unit.replace("/usr/bin/java", "/bin/true")
                .replace("User=campus-edge", "User=root").replace("Group=campus-edge", "Group=root");
        Path copy = dir.resolve("campus-edge.service");
        Files.writeString(copy, sandboxed);
        return Commands.run(List.of("systemd-analyze", "verify", copy.toString()));
    }
}
