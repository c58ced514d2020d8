package org.campusedge.agent.rooms;

import org.campusedge.agent.journal.JournalEvent;

import java.util.List;

/**
 * Receives live room updates (for the dashboard's event stream). Called from the live-rooms
 * thread and the journal writer thread: implementations must not block.
 */
public interface RoomListener {

    /** Rooms whose state changed since the last call, at most a few times a second. */
    void roomsChanged(List<RoomView> rooms);

    /** A tap, alarm, reader or sensor status change, or access-mode change, as soon as it is committed. */
    void notable(JournalEvent event);

    RoomListener NONE = new RoomListener() {
        @Override
        public void roomsChanged(List<RoomView> rooms) {
        }

        @Override
        public void notable(JournalEvent event) {
        }
    };
}
