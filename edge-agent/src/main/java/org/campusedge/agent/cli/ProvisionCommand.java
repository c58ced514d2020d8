package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.DeviceStore;
import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.EventStoreException;
import org.campusedge.sync.center.RegisteredDevice;
import org.campusedge.sync.center.ReportedBacklog;
import org.campusedge.sync.wire.Backlog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code campus-edge provision}: issue a new box's identity — a device id and a random bearer
 * token — and print what goes into the box's configuration. The token is shown once; only its
 * hash is kept. With {@code --config} (the data center's YAML) the device goes straight into the
 * data center's device registry, and {@code --list} / {@code --revoke} manage it; without, the
 * command prints the entry to add to the data center's {@code devices:} list by hand.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Issue a device token for a new box, list the data center's devices, or revoke one.",
            "With --config the device is created in the data center's registry (also while it runs);",
            "without, the entry for the data center's devices: list is printed to paste.",
            "The data center keeps only a hash of the token; the box reads it from a file (mode 0600)."})
final class ProvisionCommand implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The data center's configuration (YAML); its registry.path holds the devices.")
    Path config;

    @Option(names = "--id", paramLabel = "DEVICE", description = "The new box's device id, e.g. school-017-box-1.")
    String id;

    @Option(names = "--school", paramLabel = "NAME", description = "The new box's school.")
    String school;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Also write the token to this file with mode 0600 (for the box's sync.token-file).")
    Path tokenFile;

    @Option(names = "--revoke", paramLabel = "DEVICE",
            description = "Revoke this device's token (needs --config); its next request is refused with 403.")
    String revoke;

    @Option(names = "--list", description = "List the registry's devices: id, school, created, revoked, last contact, how far behind each box is (events and seconds it reported still to send; unknown for boxes that never report it) (needs --config).")
    boolean list;

    @Override
    public Integer call() throws Exception {
        int modes = (id != null || school != null ? 1 : 0) + (revoke != null ? 1 : 0) + (list ? 1 : 0);
        if (modes != 1) {
            throw usage("give either --id and --school (a new device), --revoke DEVICE, or --list");
        }
        if ((revoke != null || list) && config == null) {
            throw usage((list ? "--list" : "--revoke") + " needs --config, the data center's configuration file");
        }
        if (list) {
            return list();
        }
        if (revoke != null) {
            return revoke();
        }
        if (id == null || school == null) {
            throw usage("a new device needs both --id and --school");
        }
        if (!ID.matcher(id).matches()) {
            throw usage("--id must be 1-64 letters, digits, '.', '_' or '-', got \"" + id + "\"");
        }
        if (school.isBlank() || school.contains("\n")) {
            throw usage("--school must be a single line of text");
        }
        if (tokenFile != null && Files.exists(tokenFile)) {
            throw usage(tokenFile + " already exists; refusing to overwrite a device token");
        }
        String token;
        if (config != null) {
            try (DeviceStore store = openRegistry()) {
                token = store.provision(id, school, Instant.now());
                System.out.printf("Device %s (%s) is registered in %s. The token is shown only now:%n%n  %s%n%n",
                        id, school, store.where(), token);
            }
        } else {
            byte[] bytes = new byte[DeviceStore.TOKEN_BYTES];
            new SecureRandom().nextBytes(bytes);
            token = HexFormat.of().formatHex(bytes);
            System.out.printf("Device %s (%s) provisioned. The token is shown only now:%n%n  %s%n%n", id, school, token);
            System.out.printf("Add to the data center's configuration (devices:), or run this command again with --config:%n"
                    + "  - id: %s%n    school: \"%s\"%n    token: %s%n%n", id, school.replace("\"", "\\\""), token);
        }
        if (tokenFile != null) {
            writeTokenFile(token);
        }
        System.out.printf("On the box (agent configuration):%n  device:%n    id: %s%n  sync:%n    %s%n", id,
                tokenFile != null ? "token-file: " + tokenFile.toAbsolutePath() : "token: " + token);
        return 0;
    }

    private int list() throws Exception {
        try (DeviceStore store = openRegistry()) {
            List<RegisteredDevice> devices = store.list();
            if (devices.isEmpty()) {
                System.out.printf("No devices in %s.%n", store.where());
                return 0;
            }
            Map<String, ReportedBacklog> backlogs = backlogs();
            Instant now = Instant.now();
            String format = "%-28s %-28s %-20s %-20s %-20s %15s %10s  %s%n";
            System.out.printf(format, "DEVICE", "SCHOOL", "CREATED", "REVOKED", "LAST CONTACT", "BEHIND (EVENTS)", "BEHIND (S)",
                    "SOURCE");
            for (RegisteredDevice d : devices) {
                // A box that never reported its backlog (an older agent) is unknown, not 0.
                Optional<Backlog> b = Optional.ofNullable(backlogs.get(d.id())).map(ReportedBacklog::backlog);
                System.out.printf(format, d.id(), d.school(), time(Optional.of(d.createdAt())), time(d.revokedAt()),
                        time(d.lastContact()), b.map(x -> String.valueOf(x.totalEvents())).orElse("unknown"),
                        b.flatMap(x -> x.behindSeconds(now)).map(String::valueOf).orElse("unknown"), d.source());
            }
            return 0;
        }
    }

    private int revoke() throws Exception {
        try (DeviceStore store = openRegistry()) {
            if (!store.revoke(revoke, Instant.now())) {
                throw new UserFacingException("no device " + revoke + " in " + store.where(), FailureHandler.CHECK_FAILED);
            }
            System.out.printf("Device %s is revoked; the data center refuses its token from its next request on.%n", revoke);
            return 0;
        }
    }

    /**
     * The backlog each box reported last, from the event store (a running data center writes it
     * there every few seconds); empty, with a note, if the store cannot be read.
     */
    private Map<String, ReportedBacklog> backlogs() throws Exception {
        try (EventStore events = EventStore.open(DataCenterConfig.load(config).storage())) {
            return events.backlogs();
        } catch (EventStoreException e) {
            System.err.printf("note: the boxes' backlogs are unknown: %s%n", e.getMessage());
            return Map.of();
        }
    }

    private DeviceStore openRegistry() throws Exception {
        return DeviceStore.open(DataCenterConfig.load(config));
    }

    private void writeTokenFile(String token) throws IOException {
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token + "\n");
    }

    private static String time(Optional<Instant> t) {
        return t.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
    }

    private static UserFacingException usage(String message) {
        return new UserFacingException(message, FailureHandler.BAD_CONFIG);
    }
}
