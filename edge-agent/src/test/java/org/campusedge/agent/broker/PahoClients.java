package org.campusedge.agent.broker;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real Paho clients for the broker tests; closes every client it made. */
final class PahoClients implements AutoCloseable {

    /** A message as a subscriber saw it. */
    record Received(String topic, String payload, int qos, boolean retained) {
    }

    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    static String uri(String host, int port) {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setConnectionTimeout(10);
        o.setMaxInflight(1000);
        return o;
    }

    /** A client, not yet connected. */
    MqttClient create(String uri, String clientId) throws MqttException {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        c.setTimeToWait(20_000);
        clients.add(c);
        return c;
    }

    MqttClient connect(String uri, String clientId) throws MqttException {
        MqttClient c = create(uri, clientId);
        c.connect(options(true));
        return c;
    }

    /** Subscribes and collects what arrives. */
    static List<Received> subscribe(MqttClient c, String filter, int qos) throws MqttException {
        List<Received> got = new CopyOnWriteArrayList<>();
        c.subscribe(filter, qos, (topic, m) -> got.add(received(topic, m)));
        return got;
    }

    static Received received(String topic, MqttMessage m) {
        return new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained());
    }

    static void publish(MqttClient c, String topic, String payload, int qos, boolean retained) throws MqttException {
        c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    @Override
    public void close() {
        for (MqttClient c : new ArrayList<>(clients)) {
            try {
                if (c.isConnected()) {
                    // disconnect(), not disconnectForcibly(q, t): the latter always waits its full timeout.
                    c.disconnect();
                }
            } catch (MqttException e) {
                forceDisconnect(c);
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                throw new IllegalStateException("cannot close Paho client " + c.getClientId(), e);
            }
        }
        clients.clear();
    }

    private static void forceDisconnect(MqttClient c) {
        try {
            c.disconnectForcibly(0, 0, false);
        } catch (MqttException e) {
            throw new IllegalStateException("cannot disconnect Paho client " + c.getClientId(), e);
        }
    }
}
