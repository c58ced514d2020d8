package org.campusedge.bridge.pn532;

import org.campusedge.bridge.serial.SerialReaderLoop;

import java.time.Duration;
import java.util.Objects;

/**
 * Session timing of a {@link Pn532Reader}.
 *
 * @param pollInterval          time between InListPassiveTarget polls
 * @param responseTimeout       how long one command may take to be ACKed, and then answered
 * @param holdWindow            how long after a card was last seen it is still the same presentation
 * @param timeoutsBeforeOffline consecutive timeouts that mark the reader OFFLINE
 * @param backoff               reconnect timing of the serial link
 */
public record Pn532ReaderSettings(Duration pollInterval, Duration responseTimeout, Duration holdWindow,
                                  int timeoutsBeforeOffline, SerialReaderLoop.Backoff backoff) {
    public Pn532ReaderSettings {
        Objects.requireNonNull(backoff, "backoff");
        positive("pollInterval", pollInterval);
        positive("responseTimeout", responseTimeout);
        positive("holdWindow", holdWindow);
        if (timeoutsBeforeOffline < 1) {
            throw new IllegalArgumentException("timeoutsBeforeOffline must be at least 1, got " + timeoutsBeforeOffline);
        }
    }

    /** Poll every 200 ms, 500 ms per command, a 1 s hold window, OFFLINE after 3 timeouts. */
    public static Pn532ReaderSettings defaults() {
        return new Pn532ReaderSettings(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), 3,
                SerialReaderLoop.Backoff.defaults());
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
