package org.campusedge.agent.access;

import org.campusedge.agent.journal.JournalEntry;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides a tap from the allow-list, the access policy, the access mode and the live occupancy,
 * all held in memory: no I/O, no locks, so the door answers in microseconds whether or not the
 * uplink or the disk is slow. Thread-safe: called on every reader's thread at once; the list and
 * the policy live in one reference, so a decision reads both from the same moment:
 * {@link #replaceRules} swaps both at once (a downlink delta), {@link #replace} and
 * {@link #replacePolicy} one of them; the mode changes by {@link #setMode}.
 *
 * <h2>Precedence</h2>
 * The first check that applies gives the reason:
 * <ol>
 *   <li>{@code emergency_unlock}: the school is in emergency unlock; every tap opens, in or out, known card or not.</li>
 *   <li>{@code exit}: the tap goes out (an {@code out} reader, or a {@code toggle} reader and the card is inside);
 *       always granted, also for unknown or expired cards and in a lockdown, so nobody is locked in.</li>
 *   <li>{@code unknown_card}: the card is not on the allow-list.</li>
 *   <li>{@code lockdown}: the school is in lockdown and the card is in none of the exempt groups; exempt cards
 *       go on through the checks below.</li>
 *   <li>{@code not_yet_valid}, then {@code expired}: the card's validity days, in the school's time zone.</li>
 *   <li>{@code room_not_permitted}: the card has no way into the room: the allow-list does not name the room
 *       and no rule of the room's policy names one of the card's groups.</li>
 *   <li>{@code holiday}, else {@code outside_schedule}: the card has a way in, but none open now. A room
 *       named on the allow-list is open during the room's {@code open-hours} (any time without them); a
 *       group rule during its window. {@code holiday} when a window would be open now but for a holiday.</li>
 *   <li>{@code anti_passback}: the room has anti-passback and the card is inside already.</li>
 *   <li>{@code room_full}: the room holds its capacity (0 is unlimited).</li>
 *   <li>{@code granted}.</li>
 * </ol>
 * A room without a policy is decided from the allow-list alone (steps 1–6, then granted), as
 * before policies existed: no schedule, capacity or anti-passback.
 */
public final class AccessDecider {

    /** The list and the policy a decision reads together. */
    private record Rules(AllowList list, AccessPolicy policy) {
        Rules {
            Objects.requireNonNull(list, "list");
            Objects.requireNonNull(policy, "policy");
        }
    }

    private final AtomicReference<Rules> rules;
    private final ZoneId zone;
    private final OccupancyView occupancy;
    private final AtomicReference<AccessMode> mode = new AtomicReference<>(AccessMode.NORMAL);

    /** A decider without room policies and with nobody inside anywhere. */
    public AccessDecider(AllowList initial, ZoneId zone) {
        this(initial, AccessPolicy.none(), zone, OccupancyView.NONE);
    }

    public AccessDecider(AllowList initial, AccessPolicy policy, ZoneId zone, OccupancyView occupancy) {
        this.rules = new AtomicReference<>(new Rules(initial, policy));
        this.zone = Objects.requireNonNull(zone, "zone");
        this.occupancy = Objects.requireNonNull(occupancy, "occupancy");
    }

    /** An entry tap. */
    public Decision decide(String cardId, String roomId, Instant at) {
        return decide(cardId, roomId, Direction.IN, at);
    }

    /**
     * Decides a tap at a reader of {@code roomId} whose taps go {@code direction}.
     *
     * @param cardId the card as read (normalised here)
     * @param at     when the card was read
     */
    public Decision decide(String cardId, String roomId, Direction direction, Instant at) {
        String card = Permission.normaliseCardId(cardId);
        Rules held = rules.get();
        Permission p = held.list().byCard().get(card);
        Optional<String> person = p == null ? Optional.empty() : Optional.of(p.person());
        Direction way = direction == Direction.OUT
                || direction == Direction.TOGGLE && occupancy.inside(roomId, card) ? Direction.OUT : Direction.IN;
        AccessMode now = mode.get();
        if (now == AccessMode.EMERGENCY_UNLOCK) {
            return new Decision(ReasonCode.EMERGENCY_UNLOCK, person, way);
        }
        if (way == Direction.OUT) {
            return new Decision(ReasonCode.EXIT, person, way);
        }
        if (p == null) {
            return new Decision(ReasonCode.UNKNOWN_CARD, person, way);
        }
        AccessPolicy policy = held.policy();
        if (now == AccessMode.LOCKDOWN && !anyOf(p.groups(), policy.lockdownExemptGroups())) {
            return new Decision(ReasonCode.LOCKDOWN, person, way);
        }
        return new Decision(entry(p, card, roomId, at, policy), person, way);
    }

    private ReasonCode entry(Permission p, String card, String roomId, Instant at, AccessPolicy rules) {
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        if (p.validFrom().isPresent() && local.toLocalDate().isBefore(p.validFrom().get())) {
            return ReasonCode.NOT_YET_VALID;
        }
        if (p.validUntil().isPresent() && local.toLocalDate().isAfter(p.validUntil().get())) {
            return ReasonCode.EXPIRED;
        }
        RoomPolicy room = rules.rooms().get(roomId);
        if (room == null) {
            return p.opens(roomId) ? ReasonCode.GRANTED : ReasonCode.ROOM_NOT_PERMITTED;
        }
        ReasonCode schedule = schedule(p, room, local, rules.holidays());
        if (schedule != ReasonCode.GRANTED) {
            return schedule;
        }
        if (room.antiPassback() && occupancy.inside(roomId, card)) {
            return ReasonCode.ANTI_PASSBACK;
        }
        if (room.capacity() > 0 && occupancy.occupants(roomId) >= room.capacity()) {
            return ReasonCode.ROOM_FULL;
        }
        return ReasonCode.GRANTED;
    }

    /** GRANTED when some way in is open now, else why not. */
    private static ReasonCode schedule(Permission p, RoomPolicy room, LocalDateTime local, HolidayCalendar holidays) {
        boolean hasWay = false;
        boolean holiday = false;
        int second = local.toLocalTime().toSecondOfDay();
        if (p.opens(room.room())) {
            if (room.openHours().isEmpty()) {
                return ReasonCode.GRANTED;
            }
            hasWay = true;
            switch (firstOpen(room.openHours(), local, second, holidays)) {
                case OPEN -> {
                    return ReasonCode.GRANTED;
                }
                case HOLIDAY -> holiday = true;
                default -> { }
            }
        }
        for (String group : p.groups()) {
            List<TimeWindow> windows = room.windows(group);
            if (windows.isEmpty()) {
                continue;
            }
            hasWay = true;
            switch (firstOpen(windows, local, second, holidays)) {
                case OPEN -> {
                    return ReasonCode.GRANTED;
                }
                case HOLIDAY -> holiday = true;
                default -> { }
            }
        }
        if (!hasWay) {
            return ReasonCode.ROOM_NOT_PERMITTED;
        }
        return holiday ? ReasonCode.HOLIDAY : ReasonCode.OUTSIDE_SCHEDULE;
    }

    private static TimeWindow.Match firstOpen(List<TimeWindow> windows, LocalDateTime local, int second,
                                              HolidayCalendar holidays) {
        TimeWindow.Match best = TimeWindow.Match.CLOSED;
        for (int i = 0; i < windows.size(); i++) {
            TimeWindow.Match m = windows.get(i).match(local.toLocalDate(), second, holidays);
            if (m == TimeWindow.Match.OPEN) {
                return m;
            }
            if (m == TimeWindow.Match.HOLIDAY) {
                best = m;
            }
        }
        return best;
    }

    private static boolean anyOf(Set<String> groups, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return false;
        }
        for (String g : groups) {
            if (wanted.contains(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Switches the school-wide mode at once and returns the {@code access.mode} event that records
     * who did it and why; the caller journals it (the mode is restored from the last such event at
     * start, see {@link AccessModes#restore}).
     *
     * @param by     who asked, e.g. an operator's account or {@code fire-panel}
     * @param reason why, in the operator's words
     */
    public JournalEntry setMode(AccessMode next, String by, String reason, Instant at) {
        Objects.requireNonNull(next, "next");
        AccessModes.requireWhoAndWhy(by, reason);
        AccessMode previous = mode.getAndSet(next);
        return AccessModes.entry(new AccessModes.Change(next, previous, by, reason), at);
    }

    /** Puts back the mode found in the journal at start; records nothing. */
    public void restoreMode(AccessMode restored) {
        mode.set(Objects.requireNonNull(restored, "restored"));
    }

    public AccessMode mode() {
        return mode.get();
    }

    public void replace(AllowList next) {
        Objects.requireNonNull(next, "next");
        rules.updateAndGet(r -> new Rules(next, r.policy()));
    }

    public AllowList current() {
        return rules.get().list();
    }

    public void replacePolicy(AccessPolicy next) {
        Objects.requireNonNull(next, "next");
        rules.updateAndGet(r -> new Rules(r.list(), next));
    }

    /** Swaps the list and the policy in one step: no decision sees one without the other. */
    public void replaceRules(AllowList list, AccessPolicy policy) {
        rules.set(new Rules(list, policy));
    }

    public AccessPolicy policy() {
        return rules.get().policy();
    }
}
