package org.campusedge.sync.downlink;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A card's permission as the downlink carries it (the key is the card id):
 * {@code {"person":"S2024-0117","rooms":["studio-1"],"groups":["grade-8"],"validFrom":"2026-09-01","validUntil":null}}.
 * {@code rooms} holds {@code "*"} alone for every room. Validates itself as the box's
 * allow-list CSV does.
 */
public record CardGrant(String person, List<String> rooms, List<String> groups, LocalDate validFrom, LocalDate validUntil) {

    /** Card ids: 4-32 hex digits or a decimal card number, upper-case. */
    public static final Pattern CARD_ID = Pattern.compile("[0-9A-F]{4,32}|[0-9]{1,20}");
    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public CardGrant {
        if (person == null || person.isBlank()) {
            throw new IllegalArgumentException("person is required");
        }
        person = person.strip();
        rooms = rooms == null ? List.of() : rooms.stream().map(String::strip).filter(r -> !r.isEmpty()).distinct().toList();
        groups = groups == null ? List.of() : groups.stream().map(g -> g.strip().toLowerCase(Locale.ROOT))
                .filter(g -> !g.isEmpty()).distinct().toList();
        for (String g : groups) {
            if (!GROUP.matcher(g).matches()) {
                throw new IllegalArgumentException("group must be 1-64 letters, digits, '.', '_' or '-', got \"" + g + "\"");
            }
        }
        if (rooms.contains("*") && rooms.size() > 1) {
            throw new IllegalArgumentException("rooms is either * (every room) or a list of room ids, not both");
        }
        for (String r : rooms) {
            if (!r.equals("*") && !ROOM.matcher(r).matches()) {
                throw new IllegalArgumentException("room must be 1-64 letters, digits, '.', '_' or '-', got \"" + r + "\"");
            }
        }
        if (rooms.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("rooms is empty: list room ids separated by ';' or * for all rooms,"
                    + " or the card's groups in the groups column");
        }
        if (validFrom != null && validUntil != null && validUntil.isBefore(validFrom)) {
            throw new IllegalArgumentException("valid_until " + validUntil + " is before valid_from " + validFrom);
        }
    }

    /** Card ids compare case-insensitively and without surrounding blanks. */
    public static String normaliseCardId(String raw) {
        return raw.trim().toUpperCase(Locale.ROOT);
    }

    /** Whether the card opens every room. */
    public boolean allRooms() {
        return rooms.contains("*");
    }
}
