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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.pi4j.io.gpio.digital.DigitalState.HIGH;
import static com.pi4j.io.gpio.digital.DigitalState.LOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Door outputs on Pi4J's mock platform: the same API and listeners as real pins. One context for the class. */
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

    /** A pin's state change and when it happened. */
    record Change(DigitalState state, long atNanos) {
    }

    private static DigitalOutput pin(String ioId) {
        return gpio.registry().get(ioId, DigitalOutput.class);
    }

    private static List<Change> watch(String ioId) {
        List<Change> changes = new CopyOnWriteArrayList<>();
        pin(ioId).addListener(e -> changes.add(new Change(e.state(), System.nanoTime())));
        return changes;
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(n);
    }

    private static long millisBetween(Change a, Change b) {
        return Duration.ofNanos(b.atNanos() - a.atNanos()).toMillis();
    }

    @Test
    void grant_pulses_relay_and_led_for_the_configured_time_without_blocking_apply() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "studio", OptionalInt.of(17), OptionalInt.of(27))) {
            List<Change> relay = watch("studio-relay");
            List<Change> led = watch("studio-led");
            long start = System.nanoTime();
            door.apply(Feedback.grant(Duration.ofMillis(1_000)));
            assertThat(relay).as("apply returned while the relay still holds: it does not wait for the pulse")
                    .extracting(Change::state).doesNotContain(LOW);
            awaitSize(relay, 2);
            awaitSize(led, 2);
            assertThat(relay).extracting(Change::state).containsExactly(HIGH, LOW);
            assertThat(led).extracting(Change::state).containsExactly(HIGH, LOW);
            assertThat(millisBetween(relay.get(0), relay.get(1))).isBetween(995L, 3_000L);
            assertThat(relay.get(0).atNanos() - start).as("the relay follows without waiting for anything else")
                    .isLessThan(Duration.ofMillis(1_000).toNanos());
            assertThat(door.pulses()).isEqualTo(1);
        }
    }

    @Test
    void second_grant_during_a_pulse_extends_it() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "lab", OptionalInt.of(5), OptionalInt.empty())) {
            List<Change> relay = watch("lab-relay");
            door.apply(Feedback.grant(Duration.ofMillis(1_000)));
            awaitSize(relay, 1);
            Thread.sleep(500); // well inside the first pulse even on a slow machine
            door.apply(Feedback.grant(Duration.ofMillis(1_000)));
            awaitSize(relay, 2);
            assertThat(relay).extracting(Change::state).containsExactly(HIGH, LOW);
            assertThat(millisBetween(relay.get(0), relay.get(1))).as("500 ms + a fresh 1,000 ms").isBetween(1_450L, 3_000L);
            assertThat(door.pulses()).isEqualTo(2);
        }
    }

    @Test
    void shorter_grant_during_a_long_pulse_does_not_cut_it_short() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "gym", OptionalInt.of(12), OptionalInt.empty())) {
            List<Change> relay = watch("gym-relay");
            door.apply(Feedback.grant(Duration.ofMillis(400)));
            Thread.sleep(50);
            door.apply(Feedback.grant(Duration.ofMillis(50)));
            awaitSize(relay, 2);
            assertThat(millisBetween(relay.get(0), relay.get(1))).isGreaterThanOrEqualTo(360L);
        }
    }

    @Test
    void denial_blinks_the_led_three_times_and_leaves_the_relay_alone() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "maker", OptionalInt.of(6), OptionalInt.of(13))) {
            List<Change> relay = watch("maker-relay");
            List<Change> led = watch("maker-led");
            door.apply(Feedback.deny());
            awaitSize(led, 6);
            assertThat(led).extracting(Change::state).containsExactly(HIGH, LOW, HIGH, LOW, HIGH, LOW);
            assertThat(millisBetween(led.get(0), led.get(1))).isBetween(90L, 250L);
            assertThat(millisBetween(led.get(0), led.get(5))).isBetween(440L, 1_000L);
            assertThat(relay).isEmpty();
            assertThat(door.denials()).isEqualTo(1);
        }
    }

    @Test
    void denial_during_a_grant_leaves_the_led_lit() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "music", OptionalInt.of(20), OptionalInt.of(21))) {
            List<Change> led = watch("music-led");
            door.apply(Feedback.grant(Duration.ofMillis(400)));
            Thread.sleep(50);
            door.apply(Feedback.deny());
            awaitSize(led, 2);
            Thread.sleep(100);
            assertThat(led).extracting(Change::state).containsExactly(HIGH, LOW);
            assertThat(millisBetween(led.get(0), led.get(1))).isGreaterThanOrEqualTo(360L);
        }
    }

    @Test
    void grant_during_a_denial_blink_cancels_the_blinks_and_keeps_the_led_on() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "art", OptionalInt.of(23), OptionalInt.of(24))) {
            List<Change> led = watch("art-led");
            List<Change> relay = watch("art-relay");
            door.apply(Feedback.deny());
            awaitSize(led, 1);
            door.apply(Feedback.grant(Duration.ofMillis(400)));
            awaitSize(relay, 2);
            Thread.sleep(700); // longer than the whole blink pattern: a blink left running would show by now
            long on = relay.get(0).atNanos();
            long off = relay.get(1).atNanos();
            // The grant may land in a blink's on or off phase; either way the LED is on for the whole pulse
            // (at most the grant's own switch-on inside it), goes off with it and no blink comes after.
            assertThat(led).filteredOn(c -> c.atNanos() > on && c.atNanos() < off).extracting(Change::state)
                    .isSubsetOf(HIGH).hasSizeLessThanOrEqualTo(1);
            assertThat(led).last().satisfies(c -> {
                assertThat(c.state()).isEqualTo(LOW);
                assertThat(c.atNanos()).isGreaterThanOrEqualTo(off);
            });
            assertThat(millisBetween(relay.get(0), relay.get(1))).isGreaterThanOrEqualTo(360L);
        }
    }

    @Test
    void active_low_outputs_rest_high_and_go_low_when_on() throws Exception {
        try (GpioDoor door = new GpioDoor(gpio, "robotics", Optional.of(GpioDoor.Pin.activeLow(16)),
                Optional.of(GpioDoor.Pin.activeHigh(26)))) {
            assertThat(pin("robotics-relay").state()).as("strike released at start").isEqualTo(HIGH);
            assertThat(pin("robotics-led").state()).isEqualTo(LOW);
            List<Change> relay = watch("robotics-relay");
            door.apply(Feedback.grant(Duration.ofMillis(100)));
            awaitSize(relay, 2);
            assertThat(relay).extracting(Change::state).containsExactly(LOW, HIGH);
        }
    }

    @Test
    void two_doors_share_one_context_and_a_duplicate_door_id_is_refused() throws Exception {
        try (GpioDoor a = new GpioDoor(gpio, "room-a", OptionalInt.of(2), OptionalInt.of(3));
             GpioDoor b = new GpioDoor(gpio, "room-b", OptionalInt.of(4), OptionalInt.of(14))) {
            List<Change> relayA = watch("room-a-relay");
            List<Change> relayB = watch("room-b-relay");
            b.apply(Feedback.grant(Duration.ofMillis(50)));
            awaitSize(relayB, 2);
            assertThat(relayA).isEmpty();
            assertThat(a.pulses()).isZero();
            assertThatThrownBy(() -> new GpioDoor(gpio, "room-a", OptionalInt.of(15), OptionalInt.of(18)))
                    .isInstanceOf(RuntimeException.class);
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("door-room-a")).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void relay_and_led_on_the_same_pin_are_refused() {
        assertThatThrownBy(() -> new GpioDoor(gpio, "bad", OptionalInt.of(9), OptionalInt.of(9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BCM pin 9");
        assertThatThrownBy(() -> GpioDoor.Pin.activeHigh(40)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_turns_outputs_off_releases_the_pins_and_stops_the_door_thread() throws Exception {
        GpioDoor door = new GpioDoor(gpio, "tv", OptionalInt.of(19), OptionalInt.of(25));
        DigitalOutput relay = pin("tv-relay");
        door.apply(Feedback.grant(Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.state() != HIGH && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(relay.state()).isEqualTo(HIGH);
        door.close();
        assertThat(relay.state()).isEqualTo(LOW);
        assertThat(gpio.registry().exists("tv-relay")).isFalse();
        assertThat(gpio.registry().exists("tv-led")).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("door-tv") && t.isAlive());
        door.apply(Feedback.grant(Duration.ofSeconds(1)));
        assertThat(door.pulses()).as("ignored after close").isEqualTo(1);
        door.close();
        try (GpioDoor again = new GpioDoor(gpio, "tv", OptionalInt.of(19), OptionalInt.of(25))) {
            assertThat(again.id()).as("released ids can be used again").isEqualTo("tv");
        }
    }

    private static GpioDoor doorWithBuzzer(String id, int relay, int led, int buzzer) {
        return new GpioDoor(gpio, id, Optional.of(GpioDoor.Pin.activeHigh(relay)), Optional.of(GpioDoor.Pin.activeHigh(led)),
                Optional.of(GpioDoor.Pin.activeHigh(buzzer)));
    }

    @Test
    void grant_beeps_the_buzzer_once_while_the_relay_pulses() throws Exception {
        try (GpioDoor door = doorWithBuzzer("chem", 2, 3, 4)) {
            List<Change> buzzer = watch("chem-buzzer");
            List<Change> relay = watch("chem-relay");
            door.apply(Feedback.grant(Duration.ofMillis(300)));
            awaitSize(relay, 2);
            assertThat(buzzer).extracting(Change::state).containsExactly(HIGH, LOW);
            assertThat(millisBetween(buzzer.get(0), buzzer.get(1))).isBetween(70L, 200L);
            assertThat(buzzer.get(1).atNanos()).as("the beep ends before the pulse").isLessThan(relay.get(1).atNanos());
        }
    }

    @Test
    void denial_beeps_three_times() throws Exception {
        try (GpioDoor door = doorWithBuzzer("bio", 5, 6, 13)) {
            List<Change> buzzer = watch("bio-buzzer");
            door.apply(Feedback.deny());
            awaitSize(buzzer, 6);
            Thread.sleep(100);
            assertThat(buzzer).extracting(Change::state).containsExactly(HIGH, LOW, HIGH, LOW, HIGH, LOW);
            assertThat(millisBetween(buzzer.get(0), buzzer.get(5))).isBetween(350L, 900L);
            assertThat(door.denials()).isEqualTo(1);
        }
    }

    @Test
    void denial_during_a_grant_still_beeps_three_times_and_leaves_the_pulse_alone() throws Exception {
        try (GpioDoor door = doorWithBuzzer("physics", 17, 27, 22)) {
            List<Change> buzzer = watch("physics-buzzer");
            List<Change> relay = watch("physics-relay");
            door.apply(Feedback.grant(Duration.ofMillis(800)));
            Thread.sleep(250);
            door.apply(Feedback.deny());
            awaitSize(buzzer, 8);
            Thread.sleep(100);
            assertThat(buzzer).extracting(Change::state).containsExactly(HIGH, LOW, HIGH, LOW, HIGH, LOW, HIGH, LOW);
            // The denial leaves the pulse alone: the relay stays energised for its full 800 ms. On a
            // loaded machine the beeps may outlast the pulse, so its end may be seen; never earlier.
            assertThat(relay).extracting(Change::state).first().isEqualTo(HIGH);
            if (relay.size() > 1) {
                assertThat(relay).extracting(Change::state).containsExactly(HIGH, LOW);
                assertThat(relay.get(1).atNanos() - relay.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
            }
        }
    }

    @Test
    void buzzer_sharing_a_pin_is_refused_and_close_releases_it() {
        assertThatThrownBy(() -> doorWithBuzzer("bad-buzzer", 9, 10, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relay and buzzer").hasMessageContaining("BCM pin 9");
        assertThatThrownBy(() -> doorWithBuzzer("bad-buzzer", 9, 10, 10)).hasMessageContaining("LED and buzzer");
        GpioDoor door = doorWithBuzzer("quiet", 9, 10, 11);
        assertThat(gpio.registry().exists("quiet-buzzer")).isTrue();
        door.close();
        assertThat(gpio.registry().exists("quiet-buzzer")).isFalse();
        assertThat(gpio.registry().exists("bad-buzzer-relay")).as("refused doors provision nothing").isFalse();
    }

    @Test
    void buzzer_that_cannot_be_provisioned_releases_the_relay_and_led_already_taken() {
        try (GpioDoor holder = doorWithBuzzer("held", 14, 15, 18)) {
            assertThatThrownBy(() -> new GpioDoor(gpio, "late", Optional.of(GpioDoor.Pin.activeHigh(23)),
                    Optional.of(GpioDoor.Pin.activeHigh(24)), Optional.of(GpioDoor.Pin.activeHigh(18))))
                    .isInstanceOf(RuntimeException.class);
            assertThat(gpio.registry().exists("late-relay")).isFalse();
            assertThat(gpio.registry().exists("late-led")).isFalse();
            assertThat(holder.id()).isEqualTo("held");
        }
    }
}
