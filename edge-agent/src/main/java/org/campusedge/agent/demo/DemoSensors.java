package org.campusedge.agent.demo;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo school's sensors, publishing what real devices publish: a Homie 4 climate node and
 * on-air lamp in the studio, Zigbee2MQTT air-quality and door-contact sensors in the robotics lab,
 * a Tasmota power plug on the maker space's laser cutter and a plain JSON bench sensor there.
 * Values wander plausibly; every few minutes the maker space overheats for a while, so the
 * alarm rules have something to say. Owns one Paho client and one thread, {@code demo-sensors}.
 */
final class DemoSensors implements AutoCloseable {

    /** Topic mappings for the agent configuration, matching what {@link #tick} publishes. */
    static final String SENSORS_YAML = """
            sensors:
              - {preset: homie, device: studio-env, room: studio-1, sensor: studio-env}
              - {preset: zigbee2mqtt, device: robotics-air, room: robotics-1, sensor: robotics-air}
              - {preset: zigbee2mqtt, device: robotics-door-contact, room: robotics-1, sensor: robotics-door-contact}
              - {preset: tasmota, device: maker-laser, room: maker-1, sensor: laser-cutter}
              - {preset: json, topic: "campus/maker-1/+/env", room: maker-1}
            """;

    private final MqttClient client;
    private final ScheduledExecutorService thread;
    private final Random random = new Random();
    private long tick;
    private double studioTemp = 22.0;
    private double roboticsCo2 = 650;
    private double makerTemp = 26.0;
    private boolean onAir;
    private boolean laserOn;
    private boolean doorOpen;
    private double laserKwh = 112.4;

    private DemoSensors(MqttClient client) {
        this.client = client;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-sensors");
            t.setDaemon(true);
            return t;
        });
    }

    static DemoSensors start(String brokerUrl) throws MqttException {
        MqttClient c = new MqttClient(brokerUrl, "demo-sensors", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        c.connect(o);
        DemoSensors s = new DemoSensors(c);
        s.announce();
        s.thread.scheduleWithFixedDelay(s::tickSafely, 500, 2_000, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Availability as each family announces itself: Homie $state, Zigbee2MQTT availability, Tasmota LWT. */
    private void announce() throws MqttException {
        publish("homie/studio-env/$state", "ready", true);
        publish("zigbee2mqtt/robotics-air/availability", "{\"state\":\"online\"}", true);
        publish("zigbee2mqtt/robotics-door-contact/availability", "{\"state\":\"online\"}", true);
        publish("tele/maker-laser/LWT", "Online", true);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (MqttException | RuntimeException e) {
            // The broker is in-process; a failure here only means the demo is shutting down.
        }
    }

    private void tick() throws MqttException {
        tick++;
        studioTemp = wander(studioTemp, 20, 25, 0.2);
        roboticsCo2 = wander(roboticsCo2, 450, 1700, 40);
        // Every ~4 minutes the maker space heats up past 35 °C for about a minute.
        long phase = tick % 120;
        makerTemp = phase >= 90 && phase < 120 ? Math.min(38.5, makerTemp + 0.8) : wander(Math.min(makerTemp, 30), 24, 30, 0.3);
        if (tick % 15 == 0) {
            onAir = !onAir;
        }
        if (tick % 20 == 0) {
            laserOn = !laserOn;
        }
        if (random.nextInt(10) == 0) {
            doorOpen = !doorOpen;
        }
        double watts = laserOn ? 900 + random.nextInt(300) : 1.5;
        laserKwh += watts * 2 / 3_600_000;

        publish("homie/studio-env/climate/temperature", fmt(studioTemp), false);
        publish("homie/studio-env/climate/humidity", fmt(wander(45, 40, 50, 2)), false);
        publish("homie/studio-env/lamp/on-air", onAir ? "1" : "0", false);
        publish("zigbee2mqtt/robotics-air", String.format(Locale.ROOT,
                "{\"temperature\":%s,\"humidity\":%s,\"co2\":%d,\"linkquality\":%d}", fmt(wander(23, 21, 25, 1)),
                fmt(wander(48, 40, 55, 2)), Math.round(roboticsCo2), 80 + random.nextInt(100)), false);
        publish("zigbee2mqtt/robotics-door-contact", "{\"contact\":" + !doorOpen + ",\"battery\":97}", false);
        publish("tele/maker-laser/SENSOR", String.format(Locale.ROOT,
                "{\"Time\":\"2026-11-29T08:00:00\",\"ENERGY\":{\"Total\":%.3f,\"Power\":%.0f,\"Voltage\":229,\"Current\":%.3f}}",
                laserKwh, watts, watts / 229), false);
        publish("campus/maker-1/bench-1/env", String.format(Locale.ROOT, "{\"temperature\":%s,\"humidity\":%s}",
                fmt(makerTemp), fmt(wander(38, 30, 45, 2))), false);
    }

    private double wander(double v, double min, double max, double step) {
        return Math.max(min, Math.min(max, v + (random.nextDouble() * 2 - 1) * step));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 0, retained);
    }

    @Override
    public void close() throws MqttException {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
        } finally {
            client.close();
        }
    }
}
