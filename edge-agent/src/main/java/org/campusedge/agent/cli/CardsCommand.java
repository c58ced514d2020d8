package org.campusedge.agent.cli;

import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.AllowListCsv;
import org.campusedge.agent.access.AllowListStore;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.journal.Journal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code campus-edge cards import|list}: manage the allow-list kept in the journal file. */
@Command(name = "cards", mixinStandardHelpOptions = true, description = "Manage the card allow-list.",
        subcommands = {CardsCommand.Import.class, CardsCommand.ListCards.class})
final class CardsCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import an allow-list CSV (card_id,person,rooms,valid_from,valid_until[,groups]).",
                "A running agent picks the change up within a few seconds."})
    static final class Import implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
        Path config;

        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file to import.")
        Path csv;

        @Option(names = "--replace", description = "Replace the whole list instead of adding and updating cards.")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            AgentConfig cfg = AgentConfigLoader.load(config);
            Set<String> rooms = cfg.rooms().stream().map(RoomConfig::id).collect(Collectors.toSet());
            List<Permission> permissions;
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                permissions = AllowListCsv.read(in, csv.toString(), rooms);
            } catch (NoSuchFileException e) {
                throw new UserFacingException(csv + ": file not found", FailureHandler.BAD_CONFIG);
            } catch (AllowListCsv.CsvException e) {
                throw new UserFacingException(e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            try (Journal journal = Journal.open(cfg.storage(), Clock.systemUTC())) {
                long version = new AllowListStore(journal).save(permissions, replace).join();
                System.out.printf("%s %d cards from %s; allow-list version %d%n", replace ? "replaced list with" : "imported",
                        permissions.size(), csv, version);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the allow-list.")
    static final class ListCards implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
        Path config;

        @Override
        public Integer call() throws Exception {
            AgentConfig cfg = AgentConfigLoader.load(config);
            try (Journal journal = Journal.open(cfg.storage(), Clock.systemUTC())) {
                AllowList list = new AllowListStore(journal).load();
                System.out.printf("allow-list version %d, %d cards%n", list.version(), list.size());
                list.byCard().values().stream().sorted(Comparator.comparing(Permission::cardId)).forEach(p ->
                        System.out.println(String.format("%-12s %-14s %-30s %s..%s %s", p.cardId(), p.person(),
                                p.allRooms() ? "*" : String.join(";", p.rooms().stream().sorted().toList()),
                                p.validFrom().map(Object::toString).orElse(""), p.validUntil().map(Object::toString).orElse(""),
                                String.join(";", p.groups().stream().sorted().toList())).stripTrailing()));
            }
            return 0;
        }
    }
}
