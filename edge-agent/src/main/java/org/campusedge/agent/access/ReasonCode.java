package org.campusedge.agent.access;

/** Why a card was let in or not. The wire code is stable: it is journaled and reported city-wide. */
public enum ReasonCode {
    GRANTED("granted", true),
    UNKNOWN_CARD("unknown_card", false),
    ROOM_NOT_PERMITTED("room_not_permitted", false),
    NOT_YET_VALID("not_yet_valid", false),
    EXPIRED("expired", false);

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
