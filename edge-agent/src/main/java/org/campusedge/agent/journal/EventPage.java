package org.campusedge.agent.journal;

import java.util.List;
import java.util.Optional;

/**
 * One page of a {@link Journal#page(EventQuery)}: its events, newest first, and where the next
 * (older) page starts.
 *
 * @param events the events
 * @param next   the position to continue from; empty when no older event matches
 */
public record EventPage(List<JournalEvent> events, Optional<EventCursor> next) {

    public EventPage {
        events = List.copyOf(events);
    }
}
