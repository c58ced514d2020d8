package org.campusedge.agent.access;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One card's permission to enter rooms.
 *
 * @param cardId     normalised card id (upper-case, as {@link #normaliseCardId} makes it)
 * @param person     the holder's id in the school's system (student or staff number)
 * @param rooms      room ids this card opens by name; empty together with {@code allRooms}
 * @param allRooms   whether the card opens every room
 * @param validFrom  first day the card works, in the school's time zone
 * @param validUntil last day the card works, inclusive
 * @param groups     the holder's groups, e.g. {@code grade-8}, {@code media-club}, {@code staff}
 *                   (normalised lower-case), which the access policy's room rules name
 */
public record Permission(String cardId, String person, Set<String> rooms, boolean allRooms,
                         Optional<LocalDate> validFrom, Optional<LocalDate> validUntil, Set<String> groups) {

    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Permission {
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        rooms = Set.copyOf(rooms);
        groups = Set.copyOf(groups);
        if (!cardId.equals(normaliseCardId(cardId)) || cardId.isEmpty()) {
            throw new IllegalArgumentException("card id must be normalised, got \"" + cardId + "\"");
        }
        if (validFrom.isPresent() && validUntil.isPresent() && validUntil.get().isBefore(validFrom.get())) {
            throw new IllegalArgumentException("valid_until " + validUntil.get() + " is before valid_from " + validFrom.get());
        }
        for (String g : groups) {
            if (!isGroupName(g)) {
                throw new IllegalArgumentException("group must be 1-64 lower-case letters, digits, '.', '_' or '-', got \""
                        + g + "\"");
            }
        }
    }

    /** A permission without groups. */
    public Permission(String cardId, String person, Set<String> rooms, boolean allRooms,
                      Optional<LocalDate> validFrom, Optional<LocalDate> validUntil) {
        this(cardId, person, rooms, allRooms, validFrom, validUntil, Set.of());
    }

    /** Whether the allow-list names this room for the card (explicitly or with {@code *}). */
    public boolean opens(String roomId) {
        return allRooms || rooms.contains(roomId);
    }

    /** Card ids compare case-insensitively and without surrounding blanks. */
    public static String normaliseCardId(String raw) {
        return raw.trim().toUpperCase(Locale.ROOT);
    }

    /** Group names compare case-insensitively and without surrounding blanks. */
    public static String normaliseGroup(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code g} is a normalised group name. */
    public static boolean isGroupName(String g) {
        return GROUP.matcher(g).matches();
    }
}
