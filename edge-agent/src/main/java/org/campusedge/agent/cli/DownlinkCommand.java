package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.DeviceStore;
import org.campusedge.sync.center.DownlinkStore;
import org.campusedge.sync.center.RegisteredDevice;
import org.campusedge.sync.downlink.CardsCsv;
import org.campusedge.sync.downlink.CardsCsvException;
import org.campusedge.sync.downlink.DownlinkEdit;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.downlink.DownlinkValues;
import org.campusedge.sync.downlink.PolicyYaml;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code campus-edge downlink import|remove|status|compact}: manage at the data center what the boxes
 * are sent, straight in its downlink store, also while it runs (its long-polls see the new
 * version within a second). A file with an error changes nothing.
 */
@Command(name = "downlink", mixinStandardHelpOptions = true,
        description = "Manage the data center's downlink: card permissions, rooms, schedules, holidays, alarm rules.",
        subcommands = {DownlinkCommand.Import.class, DownlinkCommand.Remove.class, DownlinkCommand.Status.class,
            DownlinkCommand.Compact.class})
final class DownlinkCommand {

    /** Whose items: a school's (every box of it) or one box's. */
    static final class Scope {
        @Option(names = "--school", required = true, paramLabel = "NAME", description = "Every box of this school.")
        String school;

        @Option(names = "--device", required = true, paramLabel = "ID", description = "This box only (overrides its school's items).")
        String device;

        DownlinkScope scope() {
            return school != null ? DownlinkScope.school(school) : DownlinkScope.device(device);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import cards (CSV: card_id,person,rooms,valid_from,valid_until[,groups]) and/or rooms, schedules,",
                "holidays and alarm rules (YAML) for a school or a device, in one new version."})
    static final class Import implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The data center's configuration (YAML).")
        Path config;

        @ArgGroup(multiplicity = "1")
        Scope scope;

        @Option(names = "--cards", paramLabel = "FILE", description = "Cards CSV.")
        Path cards;

        @Option(names = "--policy", paramLabel = "FILE", description = "Rooms, schedules, holidays and alarm rules (YAML).")
        Path policy;

        @Option(names = "--replace", description = "Remove the items of each kind the files hold that they do not name.")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            if (cards == null && policy == null) {
                throw new UserFacingException("give --cards FILE, --policy FILE or both", FailureHandler.BAD_CONFIG);
            }
            List<DownlinkEdit> edits = new ArrayList<>();
            Set<DownlinkKind> kinds = EnumSet.noneOf(DownlinkKind.class);
            try {
                if (cards != null) {
                    try (Reader in = Files.newBufferedReader(cards, StandardCharsets.UTF_8)) {
                        for (CardsCsv.Row r : CardsCsv.read(in, cards.toString(), room -> true, "any")) {
                            edits.add(DownlinkValues.putValue(DownlinkKind.CARD, r.cardId(), r.grant()));
                        }
                    }
                    kinds.add(DownlinkKind.CARD);
                }
                if (policy != null) {
                    PolicyYaml.Parsed parsed = PolicyYaml.parse(Files.readString(policy), policy.toString());
                    edits.addAll(parsed.edits());
                    kinds.addAll(parsed.kinds());
                }
            } catch (NoSuchFileException e) {
                throw new UserFacingException(e.getFile() + ": file not found", FailureHandler.BAD_CONFIG);
            } catch (CardsCsvException | IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage() + " (nothing was imported)", FailureHandler.BAD_CONFIG);
            }
            DataCenterConfig dc = DataCenterConfig.load(config);
            DownlinkScope s = scope.scope();
            try (DownlinkStore store = DownlinkStore.open(dc)) {
                DownlinkStore.Written w = store.apply(s, edits, replace ? kinds : Set.of(), Instant.now());
                if (w.changed() > 0) {
                    store.compact(Instant.now().minus(dc.downlink().keepRemoved()));
                }
                System.out.printf("%s: %d item(s) read, %d changed; downlink version %d%n", s, edits.size(), w.changed(), w.version());
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove one item (a card is revoked at the next fetch).")
    static final class Remove implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The data center's configuration (YAML).")
        Path config;

        @ArgGroup(multiplicity = "1")
        Scope scope;

        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "card, room, schedule, holiday or alarm-rule.")
        String kind;

        @Option(names = "--key", required = true, paramLabel = "KEY", description = "The card id, room id, holiday id or rule id.")
        String key;

        @Override
        public Integer call() throws Exception {
            DownlinkKind k = DownlinkKind.fromWireName(kind).orElseThrow(() -> new UserFacingException(
                    "--kind must be one of " + DownlinkKind.wireNames() + ", got \"" + kind + "\"", FailureHandler.BAD_CONFIG));
            String normalised = k == DownlinkKind.CARD ? key.strip().toUpperCase(java.util.Locale.ROOT) : key.strip();
            try (DownlinkStore store = DownlinkStore.open(DataCenterConfig.load(config))) {
                DownlinkStore.Written w = store.apply(scope.scope(), List.of(DownlinkEdit.remove(k, normalised)), Set.of(), Instant.now());
                if (w.changed() == 0) {
                    throw new UserFacingException("no " + k.wireName() + " " + normalised + " in " + scope.scope(), FailureHandler.CHECK_FAILED);
                }
                System.out.printf("removed %s %s from %s; downlink version %d%n", k.wireName(), normalised, scope.scope(), w.version());
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the downlink version and the version each box runs.")
    static final class Status implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The data center's configuration (YAML).")
        Path config;

        @Override
        public Integer call() throws Exception {
            DataCenterConfig dc = DataCenterConfig.load(config);
            try (DownlinkStore store = DownlinkStore.open(dc); DeviceStore devices = DeviceStore.open(dc.registry().path())) {
                long version = store.version();
                Map<String, DownlinkStore.Running> running = new HashMap<>();
                store.running().forEach(r -> running.put(r.deviceId(), r));
                long compacted = store.compactedVersion();
                System.out.printf("downlink version %d%s%n", version, compacted == 0 ? ""
                        : " (removals up to version " + compacted + " forgotten: boxes older than that get a snapshot)");
                String format = "%-28s %-28s %-8s %-22s %s%n";
                System.out.printf(format, "DEVICE", "SCHOOL", "RUNNING", "REPORTED", "STATE");
                for (RegisteredDevice d : devices.list()) {
                    DownlinkStore.Running r = running.get(d.id());
                    System.out.printf(format, d.id(), d.school(), r == null ? "-" : String.valueOf(r.version()),
                            r == null ? "never" : r.reportedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                            r == null ? "never fetched" : r.version() >= version ? "current" : "behind");
                }
            }
            return 0;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Forget removals older than --older-than (default: downlink.keep-removed);",
                "boxes running a version older than the newest forgotten removal get a snapshot."})
    static final class Compact implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The data center's configuration (YAML).")
        Path config;

        @Option(names = "--older-than", paramLabel = "DURATION", description = "e.g. 30d, 12h or 0s; default downlink.keep-removed.")
        String olderThan;

        @Override
        public Integer call() throws Exception {
            DataCenterConfig dc = DataCenterConfig.load(config);
            java.time.Duration keep = dc.downlink().keepRemoved();
            if (olderThan != null) {
                keep = org.campusedge.sync.config.ConfigNode.parse("older-than: " + olderThan, "--older-than")
                        .duration("older-than", keep, java.time.Duration.ZERO, java.time.Duration.ofDays(3650));
            }
            try (DownlinkStore store = DownlinkStore.open(dc)) {
                int removed = store.compact(Instant.now().minus(keep));
                System.out.printf("forgot %d removal(s); deltas start after version %d%n", removed, store.compactedVersion());
            }
            return 0;
        }
    }
}
