package org.campusedge.agent.sensors;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Subscribes to every mapped sensor topic on the broker and hands decoded {@link SensorEvent}s to
 * a sink.
 *
 * <p>Uses Paho's {@link MqttAsyncClient}: connect, subscribe and publish return at once, so
 * neither the reconnect thread nor Paho's callback thread ever waits on the network. Reconnection
 * is ours, not Paho's automatic reconnect, because Paho does not retry a <em>first</em> connect
 * that fails (the broker may start after the agent): one named thread retries with exponential
 * backoff (1 s doubling to 60 s) after a failed connect or a lost connection, and every
 * successful connect (clean session) resubscribes and publishes a retained {@code online} on the
 * status topic, whose last will is a retained {@code offline}.
 *
 * <p>Threads: Paho's callback thread only copies each message into {@link TopicQueues} (never
 * blocks); one thread, {@code campus-edge-mqtt-ingest}, decodes messages one at a time and calls
 * the sink, so the sink is only ever called from that thread; {@code campus-edge-mqtt-connect}
 * runs connect attempts. {@link #close()} publishes a retained {@code offline}, disconnects and
 * ends all three, plus Paho's own threads.
 */
public final class MqttIngest implements AutoCloseable {

    static final int QUEUE_PER_TOPIC = 64;
    static final int QUEUE_TOTAL = 16_384;
    /** Most messages the ingest thread takes from the queues at once (fairness still per topic). */
    private static final int DRAIN_BATCH = 256;
    private static final long POLL_WHILE_BUSY_NANOS = 1_000_000L;
    private static final long BUSY_SPELL_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final long CLOSE_WAIT_MS = 3000;

    private final MqttSensorConfig config;
    private final Consumer<SensorEvent> sink;
    private final Runnable afterBatch;
    private final ReadingDecoder decoder;
    private final TopicQueues queue = new TopicQueues(QUEUE_PER_TOPIC, QUEUE_TOTAL);
    private final LongAdder received = new LongAdder();
    private final LongAdder readings = new LongAdder();
    private final LongAdder availabilityEvents = new LongAdder();
    private final LongAdder sinkFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration backoff = MIN_BACKOFF;
    private MqttAsyncClient client;
    private ScheduledExecutorService connector;
    private Thread ingest;

    public MqttIngest(MqttSensorConfig config, Consumer<SensorEvent> sink) {
        this(config, sink, () -> { });
    }

    /**
     * @param afterBatch called on the ingest thread after the sink has had every event of a batch
     *                   of messages taken from the queue at once (up to 256): a sink that gathers
     *                   events hands them on here, in one go
     */
    public MqttIngest(MqttSensorConfig config, Consumer<SensorEvent> sink, Runnable afterBatch) {
        this.config = config;
        this.sink = sink;
        this.afterBatch = afterBatch;
        this.decoder = new ReadingDecoder(config.readings(), config.availability(), config.maxPayloadBytes());
    }

    /** Starts the ingest thread and the first connect attempt; returns at once. */
    public synchronized void start() throws MqttException {
        if (client != null) {
            throw new IllegalStateException("already started");
        }
        client = new MqttAsyncClient(config.url().toString(), config.clientId(), new MemoryPersistence());
        client.setCallback(new Callback());
        connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "campus-edge-mqtt-connect");
            t.setDaemon(true);
            return t;
        });
        ingest = new Thread(this::drain, "campus-edge-mqtt-ingest");
        ingest.setDaemon(true);
        ingest.start();
        connector.execute(this::connect);
    }

    public boolean connected() {
        return connected.get();
    }

    /** A snapshot of the counters, for /metrics and /api/health. */
    public MqttIngestStats stats() {
        Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, decoder.rejected(r));
        }
        return new MqttIngestStats(received.sum(), readings.sum(), availabilityEvents.sum(), rejected, queue.dropped(),
                reconnects.sum(), sinkFailures.sum(), connected.get());
    }

    private void connect() {
        // Two triggers (a lost connection and a failed attempt) may both have scheduled this;
        // only one attempt may be in flight.
        if (closed.get() || client.isConnected()) {
            return;
        }
        try {
            client.connect(MqttOptions.of(config), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onConnected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryLater("connect to " + config.url() + " failed: " + e.getMessage());
                }
            });
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CONNECT_IN_PROGRESS
                    && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_CONNECTED) {
                retryLater("connect to " + config.url() + " failed: " + e.getMessage());
            }
        } catch (IllegalStateException e) {
            retryLater("connect to " + config.url() + " failed: " + e.getMessage());
        }
    }

    private void onConnected() {
        backoff = MIN_BACKOFF;
        connected.set(true);
        if (connects.incrementAndGet() > 1) {
            reconnects.increment();
        }
        LOG.info("MQTT connected to {} as {}; subscribing to {} topic filter(s)", config.url(), config.clientId(),
                config.subscriptions().size());
        try {
            String[] filters = config.subscriptions().toArray(String[]::new);
            if (filters.length > 0) {
                int[] qos = new int[filters.length];
                java.util.Arrays.fill(qos, 1);
                client.subscribe(filters, qos);
            }
            client.publish(config.statusTopic(), "online".getBytes(StandardCharsets.UTF_8), 1, true);
        } catch (MqttException e) {
            // The connection is unusable; dropping it makes the reconnect path resubscribe.
            LOG.warn("MQTT subscribe/publish after connect failed: {}; reconnecting", e.getMessage());
            forceDisconnect();
        }
    }

    private void retryLater(String why) {
        connected.set(false);
        if (closed.get()) {
            return;
        }
        Duration wait = backoff;
        backoff = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        LOG.warn("{}; retrying in {} s", why, wait.toSeconds());
        try {
            connector.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("MQTT reconnect not scheduled: ingest is closing");
        }
    }

    private void forceDisconnect() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            LOG.debug("MQTT forced disconnect: {}", e.getMessage());
        }
        retryLater("MQTT connection to " + config.url() + " dropped");
    }

    /**
     * The ingest thread. While messages keep coming it looks at the queue once a millisecond and
     * takes all that came meanwhile, so Paho's thread never has to wake it (one wake-up per
     * message is a system call on each side, more than decoding the message costs); after a second
     * without any it waits to be woken by the next.
     */
    private void drain() {
        List<TopicQueues.Inbound> batch = new ArrayList<>(DRAIN_BATCH);
        long lastWork = 0;
        try {
            while (!closed.get()) {
                batch.clear();
                if (queue.drainTo(batch, DRAIN_BATCH, 0, TimeUnit.SECONDS) == 0) {
                    if (System.nanoTime() - lastWork < BUSY_SPELL_NANOS) {
                        LockSupport.parkNanos(this, POLL_WHILE_BUSY_NANOS);
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                        continue;
                    }
                    if (queue.drainTo(batch, DRAIN_BATCH, 1, TimeUnit.SECONDS) == 0) {
                        continue;
                    }
                }
                lastWork = System.nanoTime();
                // Indexed loops: an iterator per message is garbage the JIT does not always avoid.
                for (int i = 0; i < batch.size(); i++) {
                    TopicQueues.Inbound m = batch.get(i);
                    DecodeResult r = decoder.decode(m.topic(), m.payload(), m.receivedAt());
                    if (r instanceof DecodeResult.Decoded d) {
                        List<SensorEvent> events = d.events();
                        for (int j = 0; j < events.size(); j++) {
                            deliver(events.get(j));
                        }
                    }
                }
                try {
                    afterBatch.run();
                } catch (RuntimeException ex) {
                    sinkFailures.increment();
                    LOG.error("sensor event sink failed at the end of a batch of {} messages", batch.size(), ex);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(SensorEvent e) {
        if (e instanceof SensorEvent.Reading) {
            readings.increment();
        } else {
            availabilityEvents.increment();
        }
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            sinkFailures.increment();
            LOG.error("sensor event sink failed on {} from topic {}", e, e.topic(), ex);
        }
    }

    /** Publishes a retained offline, disconnects, and ends every thread this ingest started. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true) || client == null) {
            return;
        }
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(config.statusTopic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true)
                        .waitForCompletion(CLOSE_WAIT_MS);
                client.disconnect(CLOSE_WAIT_MS).waitForCompletion(CLOSE_WAIT_MS);
            }
        } catch (MqttException e) {
            LOG.warn("MQTT clean disconnect from {} failed: {}", config.url(), e.getMessage());
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("MQTT client close failed: {}", e.getMessage());
        }
        connected.set(false);
        ingest.interrupt();
        try {
            ingest.join(CLOSE_WAIT_MS);
            connector.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Paho calls these on its callback thread; each returns at once. */
    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.debug("MQTT connectComplete to {}", serverUri);
        }

        @Override
        public void connectionLost(Throwable cause) {
            retryLater("MQTT connection to " + config.url() + " lost: " + cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.increment();
            queue.offer(new TopicQueues.Inbound(topic, message.getPayload(), Instant.now()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Only our own status messages are published; nothing waits on their delivery here.
        }
    }
}
