/**
 * The box side of the sync protocol: {@link org.campusedge.sync.uplink.Uplink} drains the
 * journal's {@link org.campusedge.sync.uplink.Outbox} through an
 * {@link org.campusedge.sync.uplink.UplinkClient}, retrying with
 * {@link org.campusedge.sync.uplink.Backoff} and never skipping an event.
 */
package org.campusedge.sync.uplink;
