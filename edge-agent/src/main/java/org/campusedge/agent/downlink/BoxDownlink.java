package org.campusedge.agent.downlink;

import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.alarms.AlarmRule;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The box's applied downlink and what the door decides by. Applying a delta is all or nothing:
 * <ol>
 *   <li>the next state is computed beside the current one, and the allow-list, access policy and
 *       alarm rules built from it; an item the box cannot use fails the delta here;</li>
 *   <li>the delta and its version are written in one SQLite transaction; a failure rolls it back;</li>
 *   <li>only then the decider's list and policy are swapped in one step ({@link AccessDecider#replaceRules}),
 *       so a tap sees the old version or the new one, never half a delta.</li>
 * </ol>
 * A failure at 1 or 2 leaves the old version fully in force, in memory and on disk.
 *
 * <p>Thread-safe: {@link #apply} (the downlink client's thread) and {@link #localChanged} (the
 * allow-list watch) serialise on this object; readers of {@link #version} need no lock.
 */
public final class BoxDownlink {

    private static final Logger LOG = LoggerFactory.getLogger(BoxDownlink.class);

    private final AgentConfig config;
    private final DownlinkStateStore store;
    private final AccessDecider decider;
    private final Consumer<List<AlarmRule>> alarmRules;
    private DownlinkItems items;
    private AllowList local;
    private List<AlarmRule> appliedRules;
    private volatile long version;

    private BoxDownlink(AgentConfig config, DownlinkStateStore store, AccessDecider decider, Consumer<List<AlarmRule>> alarmRules,
                        AllowList local) {
        this.config = config;
        this.store = store;
        this.decider = decider;
        this.alarmRules = alarmRules;
        this.local = local;
        this.items = DownlinkItems.empty();
        this.appliedRules = config.alarms();
    }

    /**
     * Puts the last applied version in force (it needs no network): reads it from the journal and
     * swaps it into {@code decider}. Stored items the box cannot use (written by an older build)
     * are logged and the configuration's rules kept.
     *
     * @param alarmRules receives the alarm rules in force whenever they change
     */
    public static BoxDownlink restore(AgentConfig config, DownlinkStateStore store, AccessDecider decider, AllowList local,
                                      Consumer<List<AlarmRule>> alarmRules) {
        BoxDownlink box = new BoxDownlink(config, store, decider, alarmRules, local);
        DownlinkItems stored = store.load();
        try {
            box.swap(DownlinkAccess.build(config, local, stored));
            box.items = stored;
            box.version = stored.version();
            if (stored.version() > 0) {
                LOG.info("downlink: version {} restored ({})", stored.version(), stored.summary());
            }
        } catch (DownlinkAccess.BadItemException e) {
            LOG.error("downlink: the stored version {} cannot be used ({}); deciding from the configuration until the next fetch",
                    stored.version(), e.getMessage());
        }
        return box;
    }

    /** The version in force. */
    public long version() {
        return version;
    }

    /**
     * Applies {@code delta} atomically (see the class comment) and returns the version now in force.
     *
     * @throws DownlinkAccess.BadItemException if an item cannot be used; nothing is applied
     * @throws DownlinkApplyException          if the delta cannot be stored; nothing is applied
     */
    public synchronized long apply(DownlinkDelta delta) throws DownlinkAccess.BadItemException {
        Objects.requireNonNull(delta, "delta");
        if (delta.empty() && delta.version() == version) {
            return version;
        }
        DownlinkItems next = items.apply(delta);
        DownlinkAccess.Built built = DownlinkAccess.build(config, local, next);
        try {
            store.save(delta).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DownlinkApplyException("cannot store downlink version " + delta.version() + ": " + cause.getMessage(), cause);
        }
        items = next;
        swap(built);
        version = next.version();
        return version;
    }

    /** The local allow-list changed ({@code cards import}): rebuild over the same downlink items. */
    public synchronized void localChanged(AllowList next) {
        local = next;
        try {
            swap(DownlinkAccess.build(config, local, items));
        } catch (DownlinkAccess.BadItemException e) {
            // The items were usable when applied and the local list only holds valid permissions.
            throw new IllegalStateException("applied downlink items became unusable: " + e.getMessage(), e);
        }
    }

    /** The applied items, for status and tests. */
    public synchronized DownlinkItems items() {
        return items;
    }

    private void swap(DownlinkAccess.Built built) {
        decider.replaceRules(built.list(), built.policy());
        if (!built.alarmRules().equals(appliedRules)) {
            appliedRules = built.alarmRules();
            alarmRules.accept(appliedRules);
        }
    }
}
