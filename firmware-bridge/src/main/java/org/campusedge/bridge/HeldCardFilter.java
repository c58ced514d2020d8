package org.campusedge.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Tells a new presentation of a card from the repeats of one held at the reader: readers keep
 * sending a card while it lies on the antenna. The same card seen again within the hold window
 * of its last sighting is a repeat; another card, or the same one after the window, is new.
 *
 * <p>Not thread-safe: owned by the reader's thread.
 */
public final class HeldCardFilter {

    private final Duration holdWindow;
    private Object lastCard;
    private Instant lastSeenAt = Instant.MIN;

    public HeldCardFilter(Duration holdWindow) {
        Objects.requireNonNull(holdWindow, "holdWindow");
        if (holdWindow.isNegative()) {
            throw new IllegalArgumentException("holdWindow must not be negative, got " + holdWindow);
        }
        this.holdWindow = holdWindow;
    }

    /** Records a sighting of {@code card} (any value with equals) and says whether it repeats the previous one. */
    public boolean isRepeat(Object card, Instant now) {
        boolean repeat = card.equals(lastCard) && Duration.between(lastSeenAt, now).compareTo(holdWindow) <= 0;
        lastCard = card;
        lastSeenAt = now;
        return repeat;
    }
}
