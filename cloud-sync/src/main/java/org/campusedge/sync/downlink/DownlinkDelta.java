package org.campusedge.sync.downlink;

import java.util.List;

/**
 * The answer to {@code GET /v1/devices/{id}/downlink?since=V}: what changed for this box after
 * version {@code since}, bringing it to {@code version}. When {@code snapshot} is true the
 * changes are every live item of the box (no removals) and replace what the box holds: the
 * center answers so for {@code since=0} (unless it holds nothing yet), for a {@code since} older than its compaction mark
 * (removals that old are forgotten) and for a {@code since} it never issued.
 *
 * @param since    the version the box said it runs
 * @param version  the version the box runs once it applied this
 * @param snapshot whether the changes replace everything
 * @param changes  items put or removed, in version order
 */
public record DownlinkDelta(long since, long version, boolean snapshot, List<DownlinkChange> changes) {

    public DownlinkDelta {
        changes = List.copyOf(changes);
        if (version < 0 || since < 0) {
            throw new IllegalArgumentException("versions must not be negative, got since " + since + ", version " + version);
        }
    }

    /** Whether applying this changes nothing. */
    public boolean empty() {
        return !snapshot && changes.isEmpty();
    }
}
