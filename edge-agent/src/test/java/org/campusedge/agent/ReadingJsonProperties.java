package org.campusedge.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.campusedge.agent.journal.ReadingBody;
import org.campusedge.agent.sensors.Metric;
import org.campusedge.agent.sensors.SensorEvent;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written reading body says exactly what Jackson would, and reads back equal, for any strings and values. */
class ReadingJsonProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Jackson writes for the same fields, in the same order. */
    record JacksonReading(String room, String sensor, String metric, double value, String unit, String topic) {
    }

    @Property(tries = 500)
    void hand_written_reading_json_equals_jacksons(@ForAll String room, @ForAll String sensor, @ForAll String topic,
                                                  @ForAll @DoubleRange(min = -1e12, max = 1e12) double value,
                                                  @ForAll Metric metric) throws Exception {
        SensorEvent.Reading r = new SensorEvent.Reading(room, sensor, metric, value, metric.unit(), topic, Instant.EPOCH);
        String ours = AgentSensors.readingBody(r).json();
        String jackson = JSON.writeValueAsString(new JacksonReading(room, sensor, metric.wireName(), value,
                metric.unit(), topic));
        assertThat(JSON.readTree(ours)).isEqualTo(JSON.readTree(jackson));
        assertThat(ReadingBody.parse(ours)).isEqualTo(AgentSensors.readingBody(r));
    }
}
