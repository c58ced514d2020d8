package org.campusedge.agent.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The .deb that {@code mvn package} builds with jdeb, read back with dpkg-deb. */
class DebPackageIT {

    private static Path deb;

    @BeforeAll
    static void findDeb() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("campus-edge_.+_all\\.deb")).toList();
            assertThat(debs).hasSize(1);
            deb = debs.get(0).toAbsolutePath();
        }
    }

    private static String dpkgDeb(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(List.of(args));
        Commands.Result r = Commands.run(cmd);
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    @Test
    void file_name_and_control_carry_a_debian_version_and_the_dependencies() throws Exception {
        String version = dpkgDeb("-f", deb.toString(), "Version").strip();
        assertThat(version).matches("[0-9]+\\.[0-9]+\\.[0-9]+(~SNAPSHOT)?");
        assertThat(deb.getFileName().toString()).isEqualTo("campus-edge_" + version + "_all.deb");
        String info = dpkgDeb("-I", deb.toString());
        assertThat(info).contains("Package: campus-edge", "Architecture: all",
                "Depends: openjdk-17-jre-headless | java17-runtime-headless", "Recommends: mosquitto");
        // dpkg itself orders the snapshot before its release.
        Commands.Result older = Commands.run(List.of("dpkg", "--compare-versions", "0.1.0~SNAPSHOT", "lt", "0.1.0"));
        assertThat(older.exit()).isZero();
    }

    @Test
    void contents_are_the_jar_launcher_unit_udev_rules_and_configuration() throws Exception {
        List<String> lines = dpkgDeb("-c", deb.toString()).lines().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("-rw-r--r-- root/root") && l.endsWith("./usr/share/campus-edge/campus-edge.jar"))
                .anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith("./usr/bin/campus-edge"))
                .anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith("./usr/sbin/campus-edge-upgrade"))
                .anyMatch(l -> l.startsWith("-rw-r--r-- root/root") && l.endsWith("./lib/systemd/system/campus-edge.service"))
                .anyMatch(l -> l.endsWith("./etc/udev/rules.d/99-campus-edge.rules"))
                .anyMatch(l -> l.startsWith("-rw-r----- root/root") && l.endsWith("./etc/campus-edge/agent.yaml"))
                .anyMatch(l -> l.endsWith("./usr/share/doc/campus-edge/examples/agent.example.yaml"))
                .anyMatch(l -> l.endsWith("./usr/share/doc/campus-edge/examples/datacenter.example.yaml"))
                .anyMatch(l -> l.endsWith("./usr/share/doc/campus-edge/README.md"));
    }

    @Test
    void conffiles_and_maintainer_scripts_are_there_executable_and_shellcheck_clean(@TempDir Path control) throws Exception {
        dpkgDeb("-e", deb.toString(), control.toString());
        assertThat(Files.readAllLines(control.resolve("conffiles")))
                .containsExactlyInAnyOrder("/etc/udev/rules.d/99-campus-edge.rules", "/etc/campus-edge/agent.yaml");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
        }
        Commands.Result sc = Commands.run(List.of("shellcheck", control.resolve("postinst").toString(),
                control.resolve("prerm").toString(), control.resolve("postrm").toString()));
        assertThat(sc.out()).isEmpty();

        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst).contains("useradd --system", "usermod --append --groups", "groupadd --system gpio",
                "install -d -m 0750 -o \"$user\" -g \"$user\" /var/lib/campus-edge",
                "deb-systemd-helper enable campus-edge.service", "dpkg-statoverride --update --add",
                "campus-edge-upgrade /usr/share/campus-edge/campus-edge.jar",
                "campus-edge-upgrade --no-start /usr/share/campus-edge/campus-edge.jar");
        assertThat(postinst).as("starting is campus-edge-upgrade's job: only with a configuration that passes its check")
                .doesNotContain("systemctl restart", "systemctl start");
        String prerm = Files.readString(control.resolve("prerm"));
        assertThat(prerm).contains("\"${1:-}\" = remove", "systemctl stop campus-edge.service");
        String postrm = Files.readString(control.resolve("postrm"));
        assertThat(postrm.substring(postrm.indexOf("purge)")))
                .contains("rm -rf /var/lib/campus-edge /etc/campus-edge", "userdel \"$user\"");
        assertThat(postrm.substring(postrm.indexOf("remove)"), postrm.indexOf("purge)")))
                .contains("rm -rf /opt/campus-edge").doesNotContain("/var/lib/campus-edge", "/etc/campus-edge");
    }

    /**
     * The package's postinst with every command it calls replaced by a stub on PATH that only
     * records its arguments (nothing on this machine changes): it enables the service and leaves
     * installing, starting and rolling back to campus-edge-upgrade, and a failed upgrade (exit 1:
     * rolled back) does not fail the package.
     */
    @Test
    void postinst_enables_the_service_and_hands_the_jar_to_campus_edge_upgrade(@TempDir Path dir) throws Exception {
        Path control = dir.resolve("control");
        dpkgDeb("-e", deb.toString(), control.toString());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        for (String tool : List.of("getent", "groupadd", "useradd", "usermod", "dpkg-statoverride", "install", "find",
                "udevadm", "deb-systemd-helper", "systemctl")) {
            stub(bin.resolve(tool), "echo \"" + tool + " $*\" >>" + calls);
        }
        stub(bin.resolve("id"), "echo campus-edge dialout gpio");
        stub(bin.resolve("campus-edge-upgrade"), "echo \"campus-edge-upgrade $*\" >>" + calls + "; exit 1");
        for (String real : List.of("tr", "grep")) {
            stub(bin.resolve(real), "exec " + Commands.run(List.of("sh", "-c", "command -v " + real)).out().strip() + " \"$@\"");
        }

        Commands.Result r = Commands.run(List.of("/bin/sh", control.resolve("postinst").toString(), "configure", ""),
                java.util.Map.of("PATH", bin.toString()));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("the package is installed; see the lines above (campus-edge-upgrade exit 1)");
        List<String> called = Files.readAllLines(calls);
        assertThat(called).contains("deb-systemd-helper enable campus-edge.service")
                .noneMatch(l -> l.startsWith("systemctl restart") || l.startsWith("systemctl start"));
        boolean systemdRuns = Files.isDirectory(Path.of("/run/systemd/system"));
        assertThat(called.get(called.size() - 1)).isEqualTo(systemdRuns
                ? "campus-edge-upgrade /usr/share/campus-edge/campus-edge.jar"
                : "campus-edge-upgrade --no-start /usr/share/campus-edge/campus-edge.jar");
        assertThat(called.indexOf("deb-systemd-helper enable campus-edge.service"))
                .isLessThan(called.size() - 1);
    }

    private static void stub(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
