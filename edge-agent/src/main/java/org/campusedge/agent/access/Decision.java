package org.campusedge.agent.access;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one tap.
 *
 * @param reason why; {@link ReasonCode#granted()} says whether the door opens
 * @param person the card holder's id when the card is known
 */
public record Decision(ReasonCode reason, Optional<String> person) {
    public Decision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(person, "person");
    }

    public boolean granted() {
        return reason.granted();
    }
}
