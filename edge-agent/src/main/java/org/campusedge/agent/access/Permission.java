package org.campusedge.agent.access;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One card's permission to enter rooms.
 *
 * @param cardId     normalised card id (upper-case, as {@link #normaliseCardId} makes it)
 * @param person     the holder's id in the school's system (student or staff number)
 * @param rooms      room ids this card opens; empty together with {@code allRooms}
 * @param allRooms   whether the card opens every room
 * @param validFrom  first day the card works, in the school's time zone
 * @param validUntil last day the card works, inclusive
 */
public record Permission(String cardId, String person, Set<String> rooms, boolean allRooms,
                         Optional<LocalDate> validFrom, Optional<LocalDate> validUntil) {

    public Permission {
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        rooms = Set.copyOf(rooms);
        if (!cardId.equals(normaliseCardId(cardId)) || cardId.isEmpty()) {
            throw new IllegalArgumentException("card id must be normalised, got \"" + cardId + "\"");
        }
        if (validFrom.isPresent() && validUntil.isPresent() && validUntil.get().isBefore(validFrom.get())) {
            throw new IllegalArgumentException("valid_until " + validUntil.get() + " is before valid_from " + validFrom.get());
        }
    }

    public boolean opens(String roomId) {
        return allRooms || rooms.contains(roomId);
    }

    /** Card ids compare case-insensitively and without surrounding blanks. */
    public static String normaliseCardId(String raw) {
        return raw.trim().toUpperCase(Locale.ROOT);
    }
}
