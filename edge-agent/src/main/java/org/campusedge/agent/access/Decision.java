package org.campusedge.agent.access;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one tap.
 *
 * @param reason    why; {@link ReasonCode#granted()} says whether the door opens
 * @param person    the card holder's id when the card is known
 * @param direction which way the tap went: {@link Direction#IN} or {@link Direction#OUT}, a toggle
 *                  reader's tap already resolved
 */
public record Decision(ReasonCode reason, Optional<String> person, Direction direction) {
    public Decision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(direction, "direction");
        if (direction == Direction.TOGGLE) {
            throw new IllegalArgumentException("a decision is either in or out, never toggle");
        }
    }

    /** An entry decision. */
    public Decision(ReasonCode reason, Optional<String> person) {
        this(reason, person, Direction.IN);
    }

    public boolean granted() {
        return reason.granted();
    }
}
