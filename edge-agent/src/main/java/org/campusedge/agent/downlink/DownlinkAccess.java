package org.campusedge.agent.downlink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.campusedge.agent.access.AccessPolicy;
import org.campusedge.agent.access.AccessRule;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.AllowListCsv;
import org.campusedge.agent.access.HolidayCalendar;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.access.RoomPolicy;
import org.campusedge.agent.access.TimeWindow;
import org.campusedge.agent.alarms.AlarmRule;
import org.campusedge.agent.alarms.AlarmRules;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.campusedge.sync.downlink.CardGrant;
import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkValues;
import org.campusedge.sync.downlink.HolidaySpec;
import org.campusedge.sync.downlink.RoomSpec;
import org.campusedge.sync.downlink.ScheduleSpec;
import org.campusedge.sync.downlink.WindowSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the box decides and alarms by once its downlink is applied: the configuration's access
 * policy and alarm rules and the local allow-list ({@code cards import}), with the downlink's
 * items over them.
 * <ul>
 *   <li>cards: the downlink's permission of a card replaces a local one; removing it at the
 *       center leaves only what the local list says (usually nothing: {@code unknown_card}).</li>
 *   <li>rooms and schedules: a room the downlink names gets its capacity, anti-passback and open
 *       hours from the room item and its group rules from the schedule item; what an item leaves
 *       out stays as configured. Rooms this box does not have are skipped (a school's items serve
 *       all its boxes).</li>
 *   <li>holidays: the configured ones and the downlink's.</li>
 *   <li>alarm rules: the configured ones, a downlink rule replacing a configured one of the same id;
 *       rules that name rooms this box does not have are skipped.</li>
 * </ul>
 * Stateless; {@link #build} either returns everything or throws naming the item at fault.
 */
public final class DownlinkAccess {

    /** The applied result. */
    public record Built(AllowList list, AccessPolicy policy, List<AlarmRule> alarmRules) {
    }

    /** An item the box cannot use; nothing of its delta is applied. */
    public static final class BadItemException extends Exception {
        private static final long serialVersionUID = 1L;

        BadItemException(DownlinkChange item, String reason, Throwable cause) {
            super(item.kind() + " " + item.key() + " (" + item.scope() + ", version " + item.version() + "): " + reason, cause);
        }
    }

    private DownlinkAccess() {
    }

    public static Built build(AgentConfig config, AllowList local, DownlinkItems items) throws BadItemException {
        return new Built(cards(local, items), policy(config, items), alarmRules(config, items));
    }

    private static AllowList cards(AllowList local, DownlinkItems items) throws BadItemException {
        Map<String, Permission> cards = new HashMap<>(local.byCard());
        for (DownlinkChange c : items.effective(DownlinkKind.CARD).values()) {
            CardGrant g = typed(c, CardGrant.class);
            try {
                cards.put(c.key(), AllowListCsv.permission(c.key(), g));
            } catch (IllegalArgumentException e) {
                throw new BadItemException(c, e.getMessage(), e);
            }
        }
        return new AllowList(local.version(), cards);
    }

    private static AccessPolicy policy(AgentConfig config, DownlinkItems items) throws BadItemException {
        AccessPolicy base = config.access();
        Map<String, DownlinkChange> rooms = items.effective(DownlinkKind.ROOM);
        Map<String, DownlinkChange> schedules = items.effective(DownlinkKind.SCHEDULE);
        Map<String, RoomPolicy> policies = new HashMap<>(base.rooms());
        Set<String> named = new TreeSet<>(rooms.keySet());
        named.addAll(schedules.keySet());
        for (String id : named) {
            Optional<RoomConfig> room = config.room(id);
            if (room.isEmpty()) {
                continue;
            }
            Optional<RoomPolicy> was = base.room(id);
            List<TimeWindow> openHours = was.map(RoomPolicy::openHours).orElse(List.of());
            boolean antiPassback = was.map(RoomPolicy::antiPassback).orElse(false);
            int capacity = room.get().capacity();
            if (rooms.containsKey(id)) {
                DownlinkChange c = rooms.get(id);
                RoomSpec spec = typed(c, RoomSpec.class);
                openHours = new ArrayList<>();
                for (WindowSpec w : spec.openHours()) {
                    openHours.add(window(c, w));
                }
                antiPassback = spec.antiPassback();
                capacity = spec.capacity() == null ? capacity : spec.capacity();
            }
            List<AccessRule> rules = was.map(RoomPolicy::rules).orElse(List.of());
            if (schedules.containsKey(id)) {
                DownlinkChange c = schedules.get(id);
                rules = new ArrayList<>();
                for (WindowSpec w : typed(c, ScheduleSpec.class).rules()) {
                    rules.add(new AccessRule(Set.copyOf(w.groups()), window(c, w)));
                }
            }
            policies.put(id, new RoomPolicy(id, rules, openHours, antiPassback, capacity));
        }
        List<HolidayCalendar.Holiday> holidays = new ArrayList<>(base.holidays().holidays());
        for (DownlinkChange c : items.effective(DownlinkKind.HOLIDAY).values()) {
            HolidaySpec h = typed(c, HolidaySpec.class);
            holidays.add(new HolidayCalendar.Holiday(h.name(), h.from(), h.to()));
        }
        return new AccessPolicy(policies, new HolidayCalendar(holidays), base.lockdownExemptGroups());
    }

    private static List<AlarmRule> alarmRules(AgentConfig config, DownlinkItems items) throws BadItemException {
        Map<String, AlarmRule> rules = new LinkedHashMap<>();
        config.alarms().forEach(r -> rules.put(r.id(), r));
        Set<String> roomIds = new HashSet<>();
        config.rooms().forEach(r -> roomIds.add(r.id()));
        for (DownlinkChange c : items.effective(DownlinkKind.ALARM_RULE).values()) {
            ObjectNode rule = ((ObjectNode) c.value()).deepCopy();
            rule.put("id", c.key());
            if (rule.has("rooms") && rule.get("rooms").isArray()) {
                boolean foreign = false;
                for (var r : rule.get("rooms")) {
                    foreign |= !roomIds.contains(r.asText());
                }
                if (foreign) {
                    continue;
                }
            }
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            ArrayNode list = doc.putArray("alarms");
            list.add(rule);
            try {
                List<AlarmRule> read = AlarmRules.read(ConfigNode.parse(doc.toString(), "downlink").sections("alarms"), roomIds);
                rules.put(c.key(), read.get(0));
            } catch (ConfigException e) {
                throw new BadItemException(c, e.getMessage(), e);
            }
        }
        return List.copyOf(rules.values());
    }

    private static TimeWindow window(DownlinkChange c, WindowSpec w) throws BadItemException {
        try {
            return new TimeWindow(w.weekdays(), w.fromMinute(), w.toMinute(), w.onHolidays());
        } catch (IllegalArgumentException e) {
            throw new BadItemException(c, e.getMessage(), e);
        }
    }

    private static <T> T typed(DownlinkChange c, Class<T> type) throws BadItemException {
        try {
            return DownlinkValues.read(c.value(), type);
        } catch (IllegalArgumentException e) {
            throw new BadItemException(c, e.getMessage(), e);
        }
    }
}
