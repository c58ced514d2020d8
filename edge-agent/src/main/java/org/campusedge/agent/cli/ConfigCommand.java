package org.campusedge.agent.cli;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code campus-edge config check --config FILE}: validate a file without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate an agent configuration file and print what it describes.")
    static final class Check implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
        Path config;

        @Override
        public Integer call() throws Exception {
            AgentConfig c = AgentConfigLoader.load(config);
            System.out.printf("%s: OK%n", config);
            System.out.printf("device %s (%s), time zone %s%n", c.deviceId(), c.school(), c.zone());
            for (RoomConfig r : c.rooms()) {
                System.out.printf("  room %-16s %-18s capacity %d%n", r.id(), r.type().wireName(), r.capacity());
                c.access().room(r.id()).ifPresent(p -> System.out.printf("    access: %d rules, open-hours %s, anti-passback %s%n",
                        p.rules().size(), p.openHours().isEmpty() ? "any time" : p.openHours().size() + " windows",
                        p.antiPassback() ? "on" : "off"));
            }
            for (ReaderConfig r : c.readers()) {
                System.out.printf("  reader %-14s %-8s %s @%d -> room %s door %s, %s%n", r.id(), r.protocol().wireName(),
                        r.port(), r.baud(), r.room(), r.door(), r.direction().wireName());
            }
            if (!c.access().holidays().holidays().isEmpty() || !c.access().lockdownExemptGroups().isEmpty()) {
                System.out.printf("access: %d holidays, lockdown-exempt groups %s%n", c.access().holidays().holidays().size(),
                        c.access().lockdownExemptGroups().stream().sorted().toList());
            }
            System.out.printf("journal %s (%s)%n", c.storage().path(), c.storage().durability().name().toLowerCase(java.util.Locale.ROOT));
            System.out.printf("sync %s%n", c.sync().url().map(Object::toString).orElse("disabled"));
            System.out.printf("http %s port %d%n", c.http().bind(), c.http().port());
            return 0;
        }
    }
}
