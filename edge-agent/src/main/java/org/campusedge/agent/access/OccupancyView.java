package org.campusedge.agent.access;

/**
 * Who is inside which room right now, as the live room state knows it. The access decision reads
 * it for capacity, anti-passback and toggle readers. Implementations are called on reader threads
 * in the middle of a decision: they must answer from memory, without locks held for long and
 * without I/O.
 */
public interface OccupancyView {

    /** Nobody anywhere: capacity never full, every card outside. */
    OccupancyView NONE = new OccupancyView() {
        @Override
        public int occupants(String room) {
            return 0;
        }

        @Override
        public boolean inside(String room, String card) {
            return false;
        }
    };

    /** How many people are inside {@code room} now. */
    int occupants(String room);

    /** Whether the holder of {@code card} (a normalised card id) is inside {@code room} now. */
    boolean inside(String room, String card);
}
