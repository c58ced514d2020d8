package org.campusedge.sync.center;

import java.time.Instant;
import java.util.Optional;

/**
 * A row of the device registry, as {@code campus-edge provision --list} shows it.
 *
 * @param id          the device id
 * @param school      its school
 * @param createdAt   when it was provisioned or first imported from the configuration
 * @param revokedAt   when its token was revoked
 * @param lastContact the last authenticated request (written at most once a minute per device)
 * @param source      {@code provisioned} (by the CLI) or {@code config} (from the YAML {@code devices:} list)
 */
public record RegisteredDevice(String id, String school, Instant createdAt, Optional<Instant> revokedAt,
                               Optional<Instant> lastContact, String source) {
}
