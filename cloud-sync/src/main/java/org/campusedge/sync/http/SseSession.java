package org.campusedge.sync.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One open event stream: the client's bounded {@link SseQueue}, filled by publishers, and the
 * writing of it to the client's connection. {@link #offer} runs on publisher threads under the
 * hub's lock and only touches the queue (under this session's lock) and schedules a drain;
 * everything else runs on the connection's event loop, which owns the channel. The queue is
 * drained only while the channel is writable, and again when Netty says it became writable, so
 * a client that stops reading costs at most its queue and one socket write buffer. A client whose
 * socket stays full, taking nothing more, for {@link #STALLED_BEATS} heartbeat intervals in a row
 * is disconnected, like one whose queue overflows. A stream whose lease runs out (asked at every
 * heartbeat and when the hub says so) is ended cleanly.
 */
final class SseSession implements SseSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final LogThrottle SLOW_LOG = new LogThrottle(Duration.ofMinutes(1));
    /** Events written per chunk: one allocation and one chunk header for many small events. */
    private static final int BATCH = 64;
    private static final byte[] PING = SseFrames.comment("ping");
    /** Heartbeats in a row at which the socket would take nothing before the client is dropped. */
    static final int STALLED_BEATS = 4;

    private final String serverName;
    private final Channel channel;
    private final SseHub hub;
    private final Predicate<SseEvent> filter;
    private final BooleanSupplier lease;
    private final boolean chunked;
    private final ServerCounters counters;
    private final Set<SseSession> registry;

    // Guarded by this.
    private final SseQueue queue;
    private boolean drainScheduled;
    private boolean closed;

    // Event loop only.
    private boolean draining;
    private boolean drainAgain;
    private boolean ended;
    private int stalledBeats;
    private boolean wroteSinceBeat;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param chunked  true for HTTP/1.1 (chunked transfer coding, a clean end with the last
     *                 chunk); false for HTTP/1.0, where the stream ends when the connection closes
     * @param registry the server's open streams, for {@link HttpServer#close()}
     */
    SseSession(String serverName, Channel channel, SseAnswer.Subscribe subscription, boolean chunked,
               ServerCounters counters, Set<SseSession> registry) {
        this.serverName = serverName;
        this.channel = channel;
        this.hub = subscription.hub();
        this.filter = subscription.filter();
        this.lease = subscription.lease();
        this.chunked = chunked;
        this.counters = counters;
        this.registry = registry;
        this.queue = new SseQueue(hub.settings().queueCapacity());
    }

    /**
     * Called on the event loop once the response head is written: sends {@code retry:}, starts
     * the heartbeat and cleans up when the connection closes, whoever closes it.
     */
    void start() {
        counters.streamOpened();
        registry.add(this);
        long every = hub.settings().heartbeat().toMillis();
        heartbeat = channel.eventLoop().scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
        // Last: if the client has already gone, this runs closed() at once.
        channel.closeFuture().addListener(f -> closed());
        write(SseFrames.retry(hub.settings().retry()));
        channel.flush();
        drain();
    }

    @Override
    public boolean wants(SseEvent event) {
        return filter.test(event);
    }

    @Override
    public void offer(SseQueue.Encoded event) {
        boolean schedule;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            switch (queue.offer(event)) {
                case COALESCED -> counters.coalesced();
                case OVERFLOW -> {
                    overflow = true;
                    closed = true;
                    queue.clear();
                }
                case QUEUED -> { }
            }
            schedule = !overflow && !drainScheduled;
            drainScheduled |= schedule;
        }
        if (overflow) {
            counters.slowDisconnect();
            SLOW_LOG.acquire().ifPresent(n -> LOG.warn("{}: disconnected slow event-stream client {} of {}: "
                            + "{} events waiting and event {} ({}) cannot be coalesced ({} similar suppressed)",
                    serverName, channel.remoteAddress(), hub.name(), hub.settings().queueCapacity(),
                    event.event().id(), event.event().name(), n));
            channel.close();
        } else if (schedule) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: event loop closing; stream to {} ends", serverName, channel.remoteAddress());
            }
        }
    }

    @Override
    public void end() {
        try {
            channel.eventLoop().execute(this::endNow);
        } catch (RejectedExecutionException e) {
            channel.close();
        }
    }

    @Override
    public void recheckLease() {
        try {
            channel.eventLoop().execute(this::checkLease);
        } catch (RejectedExecutionException e) {
            channel.close();
        }
    }

    /** Event loop only; true if the stream goes on. */
    private boolean checkLease() {
        if (ended || !channel.isActive()) {
            return false;
        }
        boolean valid;
        try {
            valid = lease.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("{}: the lease of the event stream to {} failed; ending it", serverName, channel.remoteAddress(), e);
            valid = false;
        }
        if (!valid) {
            counters.leaseEnded();
            LOG.debug("{}: event stream to {} of {} ended: its lease ran out", serverName, channel.remoteAddress(), hub.name());
            endNow();
        }
        return valid;
    }

    /** Ends the stream cleanly and returns when the connection is closed. */
    ChannelFuture endAndClose() {
        end();
        return channel.closeFuture();
    }

    /** Writes what the client's socket will take; event loop only. */
    void drain() {
        if (draining) {
            // A flush below made the channel writable again and Netty called back in.
            drainAgain = true;
            return;
        }
        draining = true;
        try {
            do {
                drainAgain = false;
                drainOnce();
            } while (drainAgain);
        } finally {
            draining = false;
        }
    }

    private void drainOnce() {
        if (ended || !channel.isActive()) {
            return;
        }
        int sent = 0;
        while (channel.isWritable()) {
            List<SseQueue.Encoded> batch;
            synchronized (this) {
                batch = queue.take(BATCH);
                if (batch.isEmpty()) {
                    drainScheduled = false;
                    break;
                }
            }
            int size = 0;
            for (SseQueue.Encoded e : batch) {
                size += e.bytes().length;
            }
            ByteBuf buf = channel.alloc().buffer(size);
            for (SseQueue.Encoded e : batch) {
                buf.writeBytes(e.bytes());
            }
            channel.write(new DefaultHttpContent(buf)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            sent += batch.size();
        }
        if (sent > 0) {
            wroteSinceBeat = true;
            counters.eventsSent(sent);
            channel.flush();
        }
        // Not writable with events left: channelWritabilityChanged calls drain() again.
    }

    private void ping() {
        if (!checkLease()) {
            return;
        }
        boolean progressed = wroteSinceBeat;
        wroteSinceBeat = false;
        if (channel.isWritable()) {
            stalledBeats = 0;
            write(PING);
            channel.flush();
            return;
        }
        // Keyed events coalesce, so a client that stopped reading (or vanished without a FIN)
        // might never overflow its queue; it would hold a stream slot until TCP gives up. A slow
        // client that still reads lets the buffer drain, and drain() writes again: progress.
        stalledBeats = progressed ? 0 : stalledBeats + 1;
        if (stalledBeats >= STALLED_BEATS) {
            counters.slowDisconnect();
            SLOW_LOG.acquire().ifPresent(n -> LOG.warn("{}: disconnected event-stream client {} of {}: it has read "
                            + "nothing for {} heartbeats ({} similar suppressed)",
                    serverName, channel.remoteAddress(), hub.name(), STALLED_BEATS, n));
            channel.close();
        }
    }

    private void write(byte[] bytes) {
        channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes))).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void endNow() {
        if (ended || !channel.isActive()) {
            channel.close();
            return;
        }
        drainOnce();
        ended = true;
        if (!channel.isWritable()) {
            // A client that is not reading would hold the last chunk, and the close, forever.
            channel.close();
            return;
        }
        // HTTP/1.1: the last chunk ends the response properly (RFC 9112 section 7.1); the
        // connection is closed after it: the server is going away.
        // HTTP/1.0 has no last chunk: there the close alone ends the response, and Netty's
        // encoder writes nothing for the empty last content.
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    private void closed() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        hub.detach(this);
        registry.remove(this);
        counters.streamClosed();
    }
}
