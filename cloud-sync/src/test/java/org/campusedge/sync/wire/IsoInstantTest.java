package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoInstantTest {

    private static final DateTimeFormatter NINE_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final List<Instant> EDGES = List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
            Instant.parse("2024-02-29T23:59:59.5Z"), Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.000001Z"),
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"));

    @Test
    void writes_and_reads_what_java_time_writes_and_reads() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), nanos(random));
            check(t);
        }
        EDGES.forEach(IsoInstantTest::check);
    }

    private static int nanos(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    private static void check(Instant t) {
        assertThat(IsoInstant.append(new StringBuilder(), t).toString()).isEqualTo(t.toString());
        assertThat(IsoInstant.appendNanos(new StringBuilder(), t).toString()).isEqualTo(NINE_DIGITS.format(t));
        assertThat(IsoInstant.parse(t.toString())).isEqualTo(t);
        assertThat(IsoInstant.parse(NINE_DIGITS.format(t))).isEqualTo(Instant.parse(NINE_DIGITS.format(t)));
    }

    @Test
    void reads_every_fraction_length_and_offsets_as_instant_parse_does() {
        for (String text : List.of("2025-03-01T08:15:30Z", "2025-03-01T08:15:30.2Z", "2025-03-01T08:15:30.25Z",
                "2025-03-01T08:15:30.250Z", "2025-03-01T08:15:30.2500Z", "2025-03-01T08:15:30.123456789Z", "2025-03-01T09:15:30+01:00",
                "2025-12-31T23:59:60Z")) {
            assertThat(IsoInstant.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void accepts_and_refuses_odd_text_exactly_as_instant_parse_does() {
        for (String text : List.of("", "yesterday", "2025-02-30T08:15:30Z", "2025-13-01T08:15:30Z", "2025-03-01T25:15:30Z",
                "2025-03-01T08:61:30Z", "2025-03-01T08:15:30.1234567890Z", "2025-03-01T08:15:30.Z", "2025-03-01T08:15:3xZ",
                "2025-03-01 08:15:30Z", "2025-03-01T08:15:30", "2025-03-01T08:15:30.-1Z")) {
            assertThat(outcome(IsoInstant::parse, text)).as(text).isEqualTo(outcome(Instant::parse, text));
        }
        assertThatThrownBy(() -> IsoInstant.parse("2025-13-01T08:15:30Z")).isInstanceOf(DateTimeParseException.class);
    }

    private static Object outcome(java.util.function.Function<String, Instant> parse, String text) {
        try {
            return parse.apply(text);
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }
}
