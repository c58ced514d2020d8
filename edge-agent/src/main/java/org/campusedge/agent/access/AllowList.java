package org.campusedge.agent.access;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every card's permission, looked up in constant time at the door.
 * A new snapshot replaces the old one atomically when the list changes.
 *
 * @param version the allow-list version this snapshot was loaded at
 */
public record AllowList(long version, Map<String, Permission> byCard) {

    public AllowList {
        byCard = Map.copyOf(byCard);
    }

    public static AllowList of(long version, Collection<Permission> permissions) {
        Map<String, Permission> m = new HashMap<>();
        permissions.forEach(p -> m.put(p.cardId(), p));
        return new AllowList(version, m);
    }

    public static AllowList empty() {
        return new AllowList(0, Map.of());
    }

    public Optional<Permission> find(String cardId) {
        return Optional.ofNullable(byCard.get(cardId));
    }

    public int size() {
        return byCard.size();
    }
}
