package org.campusedge.agent.config;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code occupancy:} section: how live room state is kept.
 *
 * @param closeAt       local time at which every room's forgotten tap-outs are cleared (rooms may override)
 * @param standbyWatts  a power reading above this means the machine is on
 * @param snapshotEvery how often room state is checkpointed in the journal (restart replays only what follows)
 */
public record OccupancyConfig(Optional<LocalTime> closeAt, double standbyWatts, Duration snapshotEvery) {

    public static final OccupancyConfig DEFAULTS =
            new OccupancyConfig(Optional.of(LocalTime.of(22, 0)), 5.0, Duration.ofMinutes(1));

    public OccupancyConfig {
        Objects.requireNonNull(closeAt, "closeAt");
        Objects.requireNonNull(snapshotEvery, "snapshotEvery");
    }
}
