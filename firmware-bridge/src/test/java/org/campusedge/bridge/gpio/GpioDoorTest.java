package org.campusedge.bridge.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.campusedge.bridge.Feedback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Door outputs on Pi4J's mock platform: the same API and listeners as real pins. */
class GpioDoorTest {

    private static Context gpio;

    @BeforeAll
    static void context() {
        gpio = GpioContexts.mock();
    }

    @AfterAll
    static void shutdown() {
        gpio.shutdown();
    }

    /** A pin's state changes, with the time each happened. */
    record Change(DigitalState state, long atNanos) {
    }

    private static List<Change> watch(String ioId) {
        List<Change> changes = new CopyOnWriteArrayList<>();
        DigitalOutput out = gpio.registry().get(ioId, DigitalOutput.class);
        out.addListener(e -> changes.add(new Change(e.state(), System.nanoTime())));
        return changes;
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void a_grant_pulses_relay_and_led_for_the_configured_time() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "studio", OptionalInt.of(17), OptionalInt.of(27))) {
            List<Change> relay = watch("studio-relay");
            List<Change> led = watch("studio-led");
            long start = System.nanoTime();
            door.apply(Feedback.grant(Duration.ofMillis(200)));
            awaitSize(relay, 2);
            awaitSize(led, 2);
            assertThat(relay).extracting(Change::state).containsExactly(DigitalState.HIGH, DigitalState.LOW);
            assertThat(led).extracting(Change::state).containsExactly(DigitalState.HIGH, DigitalState.LOW);
            long held = relay.get(1).atNanos() - relay.get(0).atNanos();
            assertThat(held).isGreaterThanOrEqualTo(Duration.ofMillis(195).toNanos());
            assertThat(relay.get(0).atNanos() - start).as("apply returns and the relay follows at once")
                    .isLessThan(Duration.ofMillis(150).toNanos());
            assertThat(door.pulses()).isEqualTo(1);
        }
    }

    @Test
    void a_second_grant_during_a_pulse_extends_it() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "lab", OptionalInt.of(5), OptionalInt.empty())) {
            List<Change> relay = watch("lab-relay");
            door.apply(Feedback.grant(Duration.ofMillis(300)));
            Thread.sleep(150);
            door.apply(Feedback.grant(Duration.ofMillis(300)));
            awaitSize(relay, 2);
            assertThat(relay).extracting(Change::state).containsExactly(DigitalState.HIGH, DigitalState.LOW);
            assertThat(relay.get(1).atNanos() - relay.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(440).toNanos());
        }
    }

    @Test
    void a_denial_blinks_the_led_and_leaves_the_relay_alone() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "maker", OptionalInt.of(6), OptionalInt.of(13))) {
            List<Change> relay = watch("maker-relay");
            List<Change> led = watch("maker-led");
            door.apply(Feedback.deny());
            awaitSize(led, 6);
            assertThat(led).extracting(Change::state).containsExactly(DigitalState.HIGH, DigitalState.LOW,
                    DigitalState.HIGH, DigitalState.LOW, DigitalState.HIGH, DigitalState.LOW);
            assertThat(relay).isEmpty();
            assertThat(door.denials()).isEqualTo(1);
        }
    }

    @Test
    void close_turns_outputs_off_releases_the_pins_and_stops_the_door_thread() throws Exception {
        GpioDoor door = new GpioDoor(gpio, "tv", OptionalInt.of(19), OptionalInt.of(26));
        DigitalOutput relay = gpio.registry().get("tv-relay", DigitalOutput.class);
        door.apply(Feedback.grant(Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.state() != DigitalState.HIGH && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(relay.state()).isEqualTo(DigitalState.HIGH);
        door.close();
        assertThat(relay.state()).isEqualTo(DigitalState.LOW);
        assertThat(gpio.registry().exists("tv-relay")).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("door-tv") && t.isAlive());
        door.apply(Feedback.grant(Duration.ofSeconds(1)));
        assertThat(door.pulses()).as("ignored after close").isEqualTo(1);
    }
}
