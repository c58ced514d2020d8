package org.campusedge.agent.deploy;

import org.campusedge.agent.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy-scripts/install.sh into a staging root, and shellcheck on every script in deploy-scripts. */
class InstallScriptIT {

    private static final Path JAR = Path.of("target", "campus-edge.jar").toAbsolutePath();

    private static Commands.Result install(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Commands.DEPLOY.resolve("install.sh").toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void every_script_in_deploy_scripts_is_shellcheck_clean() throws Exception {
        List<String> scripts;
        try (Stream<Path> files = Files.walk(Commands.DEPLOY)) {
            scripts = files.filter(Files::isRegularFile).filter(InstallScriptIT::isShellScript).map(Path::toString).sorted().toList();
        }
        assertThat(scripts).anyMatch(s -> s.endsWith("install.sh")).anyMatch(s -> s.endsWith("bin/campus-edge"))
                .anyMatch(s -> s.endsWith("bin/campus-edge-upgrade"));
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "--severity=style"));
        cmd.addAll(scripts);
        Commands.Result r = Commands.run(cmd);
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isZero();
    }

    private static boolean isShellScript(Path p) {
        try {
            String head = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
            return p.toString().endsWith(".sh") || head.startsWith("#!/bin/sh") || head.startsWith("#!/usr/bin/env bash")
                    || head.startsWith("#!/bin/bash");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void installs_into_a_staging_root_with_the_right_files_and_modes(@TempDir Path root) throws Exception {
        Commands.Result r = install("--root", root.toString(), "--jar", JAR.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("skipped in staging root: system user campus-edge",
                "skipped in staging root: systemctl enable campus-edge.service");

        Path versions = root.resolve("opt/campus-edge/versions");
        assertThat(versions.resolve(Version.get() + "/campus-edge.jar")).hasSameBinaryContentAs(JAR);
        assertThat(Files.readSymbolicLink(root.resolve("opt/campus-edge/current"))).isEqualTo(Path.of("versions", Version.get()));
        assertThat(root.resolve("opt/campus-edge/previous")).doesNotExist();
        assertThat(mode(root.resolve("usr/bin/campus-edge"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(root.resolve("usr/sbin/campus-edge-upgrade"))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("lib/systemd/system/campus-edge.service"))
                .hasSameTextualContentAs(Commands.DEPLOY.resolve("systemd/campus-edge.service"));
        assertThat(root.resolve("etc/udev/rules.d/99-campus-edge.rules")).exists();
        assertThat(root.resolve("usr/share/doc/campus-edge/examples/agent.example.yaml")).exists();
        assertThat(mode(root.resolve("etc/campus-edge"))).isEqualTo("rwxr-x---");
        assertThat(mode(root.resolve("etc/campus-edge/agent.yaml"))).isEqualTo("rw-r-----");
        assertThat(mode(root.resolve("etc/campus-edge/keys"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("var/lib/campus-edge"))).isEqualTo("rwxr-x---");
    }

    @Test
    void a_second_run_changes_nothing_but_secrets_and_keeps_local_configuration(@TempDir Path root) throws Exception {
        assertThat(install("--root", root.toString(), "--jar", JAR.toString()).exit()).isZero();
        Path config = root.resolve("etc/campus-edge/agent.yaml");
        Files.writeString(config, "# edited by the school\n");
        Path token = Files.writeString(root.resolve("etc/campus-edge/device.token"), "secret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

        Commands.Result again = install("--root", root.toString(), "--jar", JAR.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out().lines().filter(l -> l.startsWith("+ ")).toList())
                .containsExactly("+ chmod 0600 " + token);
        assertThat(mode(token)).isEqualTo("rw-------");
        assertThat(config).hasContent("# edited by the school");
    }

    @Test
    void dry_run_prints_every_action_and_changes_nothing(@TempDir Path root) throws Exception {
        Path stage = root.resolve("stage");
        Commands.Result r = install("--dry-run", "--root", stage.toString(), "--jar", JAR.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("+ install -D -m 0755 " + Commands.DEPLOY.resolve("bin/campus-edge-upgrade") + " "
                        + stage + "/usr/sbin/campus-edge-upgrade",
                "+ install -D -m 0644 " + JAR + " " + stage + "/opt/campus-edge/versions/.incoming/campus-edge.jar",
                "+ mv -T " + stage + "/opt/campus-edge/versions/.incoming " + stage + "/opt/campus-edge/versions/" + Version.get(),
                "+ install -d -m 0750 " + stage + "/var/lib/campus-edge");
        assertThat(stage).doesNotExist();

        Commands.Result live = install("--dry-run", "--jar", JAR.toString());
        assertThat(live.exit()).isZero();
        assertThat(live.out()).contains("+ systemctl enable campus-edge.service", "+ udevadm control --reload");
    }

    @Test
    void uninstall_keeps_configuration_and_journal_unless_purged(@TempDir Path root) throws Exception {
        assertThat(install("--root", root.toString(), "--jar", JAR.toString()).exit()).isZero();
        Files.writeString(root.resolve("var/lib/campus-edge/journal.db"), "x");

        assertThat(install("--uninstall", "--root", root.toString()).exit()).isZero();
        assertThat(root.resolve("opt/campus-edge")).doesNotExist();
        assertThat(root.resolve("usr/sbin/campus-edge-upgrade")).doesNotExist();
        assertThat(root.resolve("lib/systemd/system/campus-edge.service")).doesNotExist();
        assertThat(root.resolve("etc/campus-edge/agent.yaml")).exists();
        assertThat(root.resolve("var/lib/campus-edge/journal.db")).exists();

        assertThat(install("--uninstall", "--purge", "--root", root.toString()).exit()).isZero();
        assertThat(root.resolve("etc/campus-edge")).doesNotExist();
        assertThat(root.resolve("var/lib/campus-edge")).doesNotExist();
    }

    @Test
    void refuses_unknown_options() throws Exception {
        Commands.Result r = install("--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("unknown option --frobnicate");
    }
}
