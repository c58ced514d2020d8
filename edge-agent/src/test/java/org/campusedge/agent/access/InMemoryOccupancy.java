package org.campusedge.agent.access;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who is inside, for tests: cards are put in and taken out by hand, and {@link #follow} moves them
 * as granted decisions say. Extra anonymous people fill a room for capacity tests. Single-threaded.
 */
final class InMemoryOccupancy implements OccupancyView {

    private final Map<String, Set<String>> cards = new HashMap<>();
    private final Map<String, Integer> others = new HashMap<>();

    InMemoryOccupancy enter(String room, String card) {
        cards.computeIfAbsent(room, k -> new HashSet<>()).add(card);
        return this;
    }

    InMemoryOccupancy leave(String room, String card) {
        cards.getOrDefault(room, new HashSet<>()).remove(card);
        return this;
    }

    /** {@code n} people without a tracked card inside {@code room}. */
    InMemoryOccupancy crowd(String room, int n) {
        others.put(room, n);
        return this;
    }

    /** Applies a decision as the live room state would: a granted entry or exit moves the card. */
    Decision follow(String room, String card, Decision d) {
        if (d.granted()) {
            if (d.direction() == Direction.IN) {
                enter(room, card);
            } else {
                leave(room, card);
            }
        }
        return d;
    }

    @Override
    public int occupants(String room) {
        return cards.getOrDefault(room, Set.of()).size() + others.getOrDefault(room, 0);
    }

    @Override
    public boolean inside(String room, String card) {
        return cards.getOrDefault(room, Set.of()).contains(card);
    }
}
