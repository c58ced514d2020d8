package org.campusedge.agent.sensors;

import org.campusedge.agent.broker.EmbeddedBroker;
import org.campusedge.agent.broker.EmbeddedBrokerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** MQTT ingest against the agent's own embedded broker, on an ephemeral port. */
class MqttIngestEmbeddedIT extends MqttIngestContract {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected String broker() {
        return "tcp://127.0.0.1:" + broker.port();
    }
}
