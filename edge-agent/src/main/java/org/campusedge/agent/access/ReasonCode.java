package org.campusedge.agent.access;

/**
 * Why a card was let in or not. The wire code is stable: it is journaled and reported city-wide.
 * The order in which {@link AccessDecider} checks them is documented there.
 */
public enum ReasonCode {
    /** Entry allowed by the allow-list and, where the room has one, its schedule. */
    GRANTED("granted", true),
    /** A tap on the way out; always granted. */
    EXIT("exit", true),
    /** The school is in emergency unlock: every door opens. */
    EMERGENCY_UNLOCK("emergency_unlock", true),
    UNKNOWN_CARD("unknown_card", false),
    ROOM_NOT_PERMITTED("room_not_permitted", false),
    NOT_YET_VALID("not_yet_valid", false),
    EXPIRED("expired", false),
    /** The card may use the room, but not at this time of day or on this weekday. */
    OUTSIDE_SCHEDULE("outside_schedule", false),
    /** The card's window is open now except that today is a school holiday. */
    HOLIDAY("holiday", false),
    /** The room holds as many people as its capacity. */
    ROOM_FULL("room_full", false),
    /** The card is already inside this room (anti-passback): it must leave before it enters again. */
    ANTI_PASSBACK("anti_passback", false),
    /** The school is in lockdown and the card is in no exempt group. */
    LOCKDOWN("lockdown", false);

    private final String code;
    private final boolean granted;

    ReasonCode(String code, boolean granted) {
        this.code = code;
        this.granted = granted;
    }

    public String code() {
        return code;
    }

    public boolean granted() {
        return granted;
    }
}
