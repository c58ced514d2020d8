package org.campusedge.sync.center;

import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.http.HttpReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ParkedPolls} alone, with a version counter and answers that say which device changed. */
class ParkedPollsTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final AtomicLong version = new AtomicLong(5);
    /** The devices whose downlink the next wake-up finds changed. */
    private final java.util.Set<String> changedFor = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ParkedPolls polls = new ParkedPolls(2, version::get, new ParkedPolls.Answer() {
        @Override
        public Optional<HttpReply> ifChanged(ParkedPolls.Poll poll) {
            return changedFor.contains(poll.deviceId()) ? Optional.of(now(poll)) : Optional.empty();
        }

        @Override
        public HttpReply now(ParkedPolls.Poll poll) {
            return HttpReply.text(200, poll.deviceId() + "@" + version.get() + (changedFor.contains(poll.deviceId()) ? " changed" : " same"));
        }
    });

    @AfterEach
    void close() {
        polls.close();
    }

    private static ParkedPolls.Poll poll(String device) {
        return new ParkedPolls.Poll(device, List.of(DownlinkScope.school("Riverside"), DownlinkScope.device(device)), 5);
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }

    @Test
    void a_change_wakes_only_the_polls_it_concerns() throws Exception {
        CompletableFuture<HttpReply> a = polls.park(poll("box-a"), 5, LONG).orElseThrow();
        CompletableFuture<HttpReply> b = polls.park(poll("box-b"), 5, LONG).orElseThrow();

        changedFor.add("box-a");
        version.set(6);
        polls.changed();

        assertThat(a.get(30, TimeUnit.SECONDS).bodyText()).isEqualTo("box-a@6 changed");
        assertThat(b).isNotDone();
        assertThat(polls.stats().parked()).isEqualTo(1);
        assertThat(polls.stats().woken()).isEqualTo(1);
    }

    @Test
    void beyond_the_cap_a_poll_is_refused_and_counted() {
        assertThat(polls.park(poll("box-a"), 5, LONG)).isPresent();
        assertThat(polls.park(poll("box-b"), 5, LONG)).isPresent();

        assertThat(polls.park(poll("box-c"), 5, LONG)).isEmpty();
        assertThat(polls.stats().refused()).isEqualTo(1);
        assertThat(polls.stats().parked()).isEqualTo(2);
    }

    @Test
    void a_device_polling_again_replaces_its_earlier_poll_even_at_the_cap() throws Exception {
        CompletableFuture<HttpReply> first = polls.park(poll("box-a"), 5, LONG).orElseThrow();
        polls.park(poll("box-b"), 5, LONG).orElseThrow();

        CompletableFuture<HttpReply> again = polls.park(poll("box-a"), 5, LONG).orElseThrow();

        assertThat(first.get(30, TimeUnit.SECONDS).bodyText()).isEqualTo("box-a@5 same");
        assertThat(again).isNotDone();
        assertThat(polls.stats().replaced()).isEqualTo(1);
        assertThat(polls.stats().parked()).isEqualTo(2);
        assertThat(polls.stats().refused()).isZero();
    }

    @Test
    void cancelling_a_poll_frees_its_slot_at_once() throws Exception {
        CompletableFuture<HttpReply> a = polls.park(poll("box-a"), 5, LONG).orElseThrow();
        polls.park(poll("box-b"), 5, LONG).orElseThrow();

        a.cancel(false);

        await(() -> polls.stats().parked() == 1);
        assertThat(polls.stats().disconnected()).isEqualTo(1);
        assertThat(polls.park(poll("box-c"), 5, LONG)).isPresent();
    }

    @Test
    void a_poll_is_answered_when_its_wait_is_up() throws Exception {
        CompletableFuture<HttpReply> a = polls.park(poll("box-a"), 5, Duration.ofMillis(200)).orElseThrow();

        assertThat(a.get(30, TimeUnit.SECONDS).bodyText()).isEqualTo("box-a@5 same");
        assertThat(polls.stats().timedOut()).isEqualTo(1);
        assertThat(polls.stats().parked()).isZero();
    }

    @Test
    void a_change_between_reading_and_parking_is_not_missed() throws Exception {
        changedFor.add("box-a");
        version.set(6);

        CompletableFuture<HttpReply> a = polls.park(poll("box-a"), 5, LONG).orElseThrow();

        assertThat(a.get(30, TimeUnit.SECONDS).bodyText()).isEqualTo("box-a@6 changed");
    }

    @Test
    void close_answers_every_parked_poll_and_refuses_new_ones() throws Exception {
        CompletableFuture<HttpReply> a = polls.park(poll("box-a"), 5, LONG).orElseThrow();
        CompletableFuture<HttpReply> b = polls.park(poll("box-b"), 5, LONG).orElseThrow();

        polls.close();

        assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(b.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(polls.park(poll("box-c"), 5, LONG)).isEmpty();
        assertThat(polls.stats().parked()).isZero();
    }

    @Test
    void close_ends_the_polls_thread() throws Exception {
        polls.close();

        await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("downlink-polls") && t.isAlive()));
    }
}
