package org.campusedge.agent.sensors;

/** MQTT ingest against the real Mosquitto on 127.0.0.1:1883. */
class MqttIngestMosquittoIT extends MqttIngestContract {

    @Override
    protected String broker() {
        return "tcp://127.0.0.1:1883";
    }
}
