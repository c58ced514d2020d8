package org.campusedge.agent.access;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides a tap from the allow-list held in memory: no I/O, no locks, so the door answers in
 * microseconds whether or not the uplink or the disk is slow. Thread-safe; the list is swapped
 * atomically by {@link #replace}.
 */
public final class AccessDecider {

    private final AtomicReference<AllowList> list;
    private final ZoneId zone;

    public AccessDecider(AllowList initial, ZoneId zone) {
        this.list = new AtomicReference<>(initial);
        this.zone = zone;
    }

    public Decision decide(String cardId, String roomId, Instant at) {
        Optional<Permission> found = list.get().find(Permission.normaliseCardId(cardId));
        if (found.isEmpty()) {
            return new Decision(ReasonCode.UNKNOWN_CARD, Optional.empty());
        }
        Permission p = found.get();
        Optional<String> person = Optional.of(p.person());
        LocalDate today = LocalDate.ofInstant(at, zone);
        if (p.validFrom().isPresent() && today.isBefore(p.validFrom().get())) {
            return new Decision(ReasonCode.NOT_YET_VALID, person);
        }
        if (p.validUntil().isPresent() && today.isAfter(p.validUntil().get())) {
            return new Decision(ReasonCode.EXPIRED, person);
        }
        if (!p.opens(roomId)) {
            return new Decision(ReasonCode.ROOM_NOT_PERMITTED, person);
        }
        return new Decision(ReasonCode.GRANTED, person);
    }

    public void replace(AllowList next) {
        list.set(next);
    }

    public AllowList current() {
        return list.get();
    }
}
