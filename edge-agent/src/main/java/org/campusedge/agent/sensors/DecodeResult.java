package org.campusedge.agent.sensors;

import java.util.List;

/**
 * The outcome of decoding one MQTT message: events (possibly several from one message), or a
 * rejection of the whole message.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Rejected {

    /**
     * At least one event was decoded. A message carrying several fields may still have had some
     * of them rejected (a Tasmota plug with a broken humidity probe still reports power); those
     * are listed in {@code fieldRejections} and counted.
     */
    record Decoded(List<SensorEvent> events, List<Rejection> fieldRejections) implements DecodeResult {
        public Decoded {
            events = List.copyOf(events);
            fieldRejections = List.copyOf(fieldRejections);
        }
    }

    /** Nothing usable in the message. */
    record Rejected(Rejection rejection) implements DecodeResult {
    }

    /** A reason with the topic and a short operator-readable detail. */
    record Rejection(String topic, RejectReason reason, String detail) {
    }
}
