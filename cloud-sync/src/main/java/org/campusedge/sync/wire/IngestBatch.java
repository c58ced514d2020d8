package org.campusedge.sync.wire;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A contiguous run of one stream's events from one box, as posted to {@code /v1/ingest}.
 * Validates itself: a batch that exists is well-formed.
 *
 * @param deviceId the box, as registered at the data center
 * @param stream   the journal stream, e.g. {@code priority}
 * @param fromSeq  seq of the first event
 * @param toSeq    seq of the last event
 * @param events   exactly the events {@code fromSeq..toSeq}, in order
 */
public record IngestBatch(String deviceId, String stream, long fromSeq, long toSeq, List<WireEvent> events) {

    /** Stream names: short, lower-case, safe in paths, file names and metric labels. */
    public static final Pattern STREAM_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** Device ids: letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public IngestBatch {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("deviceId must match " + DEVICE_ID + ", got " + quoted(deviceId));
        }
        if (stream == null || !STREAM_NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream must match " + STREAM_NAME + ", got " + quoted(stream));
        }
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty");
        }
        if (fromSeq < 1) {
            throw new IllegalArgumentException("fromSeq must be >= 1, got " + fromSeq);
        }
        if (toSeq - fromSeq + 1 != events.size()) {
            throw new IllegalArgumentException("fromSeq..toSeq is " + fromSeq + ".." + toSeq
                    + " but the batch holds " + events.size() + " events");
        }
        for (int i = 0; i < events.size(); i++) {
            WireEvent e = events.get(i);
            if (e == null) {
                throw new IllegalArgumentException("events[" + i + "] is null");
            }
            if (e.seq() != fromSeq + i) {
                throw new IllegalArgumentException("events[" + i + "] has seq " + e.seq() + ", expected " + (fromSeq + i)
                        + ": a batch must hold contiguous seqs " + fromSeq + ".." + toSeq);
            }
        }
        events = List.copyOf(events);
    }

    /** A batch of {@code events}, which must be non-empty and contiguous; the seq range is taken from them. */
    public static IngestBatch of(String deviceId, String stream, List<WireEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty");
        }
        return new IngestBatch(deviceId, stream, events.get(0).seq(), events.get(events.size() - 1).seq(), events);
    }

    /** Number of events in the batch. */
    public int size() {
        return events.size();
    }

    /** The batch's events with a seq above {@code seq} (its tail, seqs being contiguous); a view, not a copy. */
    public List<WireEvent> eventsAfter(long seq) {
        return events.subList((int) Math.min(events.size(), Math.max(0, seq - fromSeq + 1)), events.size());
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
