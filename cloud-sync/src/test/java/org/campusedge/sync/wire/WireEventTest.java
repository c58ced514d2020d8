package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WireEventTest {

    private static final Instant AT = Instant.parse("2025-03-01T08:15:30.250Z");

    @Test
    void an_event_made_on_the_box_reads_its_room_from_the_payload_when_asked() {
        assertThat(new WireEvent(1, "t", AT, "{\"door\":{\"room\":\"x\"},\"room\":\"studio-1\"}").room()).isEqualTo("studio-1");
        assertThat(new WireEvent(1, "t", AT, "{\"room\":7}").room()).isNull();
        assertThat(new WireEvent(1, "t", AT, "{}").room()).isNull();
    }

    @Test
    void the_room_is_derived_so_it_takes_no_part_in_equality() throws Exception {
        String payload = "{\"room\":\"lab-1\",\"n\":1}";
        WireEvent made = new WireEvent(3, "t", AT, payload);
        WireEvent decoded = JsonCodec.decode(JsonCodec.encode(IngestBatch.of("b", "s", java.util.List.of(made))), IngestBatch.class)
                .events().get(0);

        assertThat(decoded).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(decoded.room()).isEqualTo(made.room()).isEqualTo("lab-1");
        assertThat(decoded).hasToString(made.toString()).hasToString(
                "WireEvent[seq=3, type=t, occurredAt=2025-03-01T08:15:30.250Z, payloadJson=" + payload + ", room=lab-1]");
        assertThat(new WireEvent(3, "t", AT, "{\"room\":\"lab-2\",\"n\":1}")).isNotEqualTo(made);
    }
}
