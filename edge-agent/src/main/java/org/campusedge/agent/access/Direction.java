package org.campusedge.agent.access;

import java.util.Locale;

/**
 * Which way a reader's taps go through its door. The wire name is used in YAML ({@code direction})
 * and in the {@code access.decision} payload.
 */
public enum Direction {
    /** A tap asks to enter the reader's room. */
    IN,
    /** A tap leaves the room; always granted, nobody is locked in. */
    OUT,
    /**
     * One reader at the door for both ways: a card the room has inside leaves, any other enters.
     * Only a reader's configuration says this; a {@link Decision} always says {@link #IN} or {@link #OUT}.
     */
    TOGGLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
