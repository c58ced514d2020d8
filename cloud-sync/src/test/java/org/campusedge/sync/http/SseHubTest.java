package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseHubTest {

    /** Records what the hub gives it. */
    private static final class Recorder implements SseSubscriber {
        final Predicate<SseEvent> filter;
        final List<SseEvent> got = new ArrayList<>();
        boolean ended;
        int leaseChecks;

        Recorder(Predicate<SseEvent> filter) {
            this.filter = filter;
        }

        Recorder() {
            this(e -> true);
        }

        @Override
        public boolean wants(SseEvent event) {
            return filter.test(event);
        }

        @Override
        public void offer(SseQueue.Encoded event) {
            got.add(event.event());
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public void recheckLease() {
            leaseChecks++;
        }
    }

    private static SseHub hub(int maxStreams, int queue, int replay) {
        return new SseHub("test", new SseSettings(maxStreams, queue, replay, Duration.ofSeconds(15), Duration.ofSeconds(3)));
    }

    @Test
    void recheck_leases_asks_every_open_stream_and_no_detached_one() {
        SseHub hub = hub(4, 16, 16);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder gone = new Recorder();
        hub.attach(a, null);
        hub.attach(b, null);
        hub.attach(gone, null);
        hub.detach(gone);

        hub.recheckLeases();

        assertThat(a.leaseChecks).isEqualTo(1);
        assertThat(b.leaseChecks).isEqualTo(1);
        assertThat(gone.leaseChecks).isZero();
    }

    @Test
    void numbers_events_and_delivers_them_to_subscribers_whose_filter_wants_them() {
        SseHub hub = hub(4, 16, 16);
        Recorder all = new Recorder();
        Recorder alarms = new Recorder(e -> e.name().equals("alarm"));
        assertThat(hub.attach(all, null)).isTrue();
        assertThat(hub.attach(alarms, "")).isTrue();

        SseEvent first = hub.publish("room", "room/a", "{}");
        hub.publish("alarm", "{\"level\":2}");

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.id()).endsWith("-1");
        assertThat(hub.lastEventId()).endsWith("-2");
        assertThat(all.got).extracting(SseEvent::seq).containsExactly(1L, 2L);
        assertThat(alarms.got).extracting(SseEvent::name).containsExactly("alarm");
    }

    @Test
    void replays_events_after_last_event_id_through_the_filter() {
        SseHub hub = hub(4, 16, 16);
        List<SseEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(hub.publish(i % 2 == 0 ? "room" : "tap", "{}"));
        }
        Recorder rooms = new Recorder(e -> e.name().equals("room"));
        hub.attach(rooms, published.get(0).id());
        hub.publish("room", "{}");

        assertThat(rooms.got).extracting(SseEvent::seq).containsExactly(3L, 5L, 6L);
    }

    @Test
    void up_to_date_last_event_id_replays_nothing() {
        SseHub hub = hub(4, 16, 16);
        SseEvent last = hub.publish("room", "{}");
        Recorder r = new Recorder();
        hub.attach(r, last.id());
        assertThat(r.got).isEmpty();
    }

    @Test
    void sends_a_reset_when_the_id_is_older_than_the_ring() {
        SseHub hub = hub(4, 16, 3);
        SseEvent first = hub.publish("room", "{}");
        for (int i = 0; i < 4; i++) {
            hub.publish("room", "{}");
        }
        Recorder r = new Recorder();
        hub.attach(r, first.id());

        assertThat(r.got).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(SseHub.RESET_EVENT);
            assertThat(e.id()).isEqualTo(hub.lastEventId());
            assertThat(e.data()).contains("\"reason\":\"too_old\"").contains(first.id());
        });
    }

    @Test
    void sends_a_reset_for_an_id_of_another_epoch_or_from_the_future_or_garbage() {
        SseHub hub = hub(8, 16, 16);
        hub.publish("room", "{}");
        for (String id : List.of("zzz-1", hub.lastEventId().replace("-1", "-99"), "nonsense", "-5")) {
            Recorder r = new Recorder();
            hub.attach(r, id);
            assertThat(r.got).as(id).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo(SseHub.RESET_EVENT);
                assertThat(e.data()).contains("\"reason\":\"unknown_id\"");
            });
        }
    }

    @Test
    void sends_a_reset_when_the_replay_would_not_fit_the_client_queue() {
        SseHub hub = hub(4, 2, 16);
        SseEvent first = hub.publish("tap", "{}");
        for (int i = 0; i < 3; i++) {
            hub.publish("tap", "{}");
        }
        Recorder r = new Recorder();
        hub.attach(r, first.id());
        assertThat(r.got).extracting(SseEvent::name).containsExactly(SseHub.RESET_EVENT);
    }

    @Test
    void refuses_subscribers_beyond_max_streams_and_after_close() {
        SseHub hub = hub(1, 16, 16);
        Recorder a = new Recorder();
        assertThat(hub.attach(a, null)).isTrue();
        assertThat(hub.attach(new Recorder(), null)).isFalse();
        hub.detach(a);
        assertThat(hub.attach(new Recorder(), null)).isTrue();
        assertThat(hub.openStreams()).isEqualTo(1);

        hub.close();
        assertThat(hub.attach(new Recorder(), null)).isFalse();
    }

    @Test
    void close_ends_every_stream() {
        SseHub hub = hub(4, 16, 16);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.attach(a, null);
        hub.attach(b, null);
        hub.close();
        assertThat(a.ended).isTrue();
        assertThat(b.ended).isTrue();
    }

    @Test
    void a_bad_event_name_takes_no_id() {
        SseHub hub = hub(4, 16, 16);
        assertThatThrownBy(() -> hub.publish("two\nlines", "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThat(hub.publish("ok", "{}").seq()).isEqualTo(1);
    }
}
