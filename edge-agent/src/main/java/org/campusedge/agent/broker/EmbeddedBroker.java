package org.campusedge.agent.broker;

import org.campusedge.sync.http.HttpBindException;
import org.campusedge.sync.http.Listeners;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.runtime.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A small in-process MQTT 3.1.1 broker (OASIS standard, 29 October 2014) for school boxes that
 * run none: QoS 0/1/2, retained messages, last will, persistent sessions in memory, wildcards,
 * optional user names with PBKDF2-hashed passwords.
 *
 * <p>Threads: one Netty event loop ({@code mqtt-broker-io-0}) carries every connection and owns
 * all broker state, as Mosquitto does with one thread, so there are no locks; password checks
 * run on {@code mqtt-broker-auth-0}. {@link #start} and {@link #close} are called by the owner;
 * {@link #stats()}, {@link #port()} and {@link #boundAddresses()} from any thread.
 *
 * <p>Memory is bounded per client: packets by {@link EmbeddedBrokerConfig#maxPacketBytes()}, the
 * outbound socket buffer by a write-buffer high-water mark ({@value #OUTBOUND_HIGH_WATER_BYTES}
 * bytes plus one packet; QoS 0 is dropped and counted past it), queued QoS 1/2 messages by
 * {@link EmbeddedBrokerConfig#maxQueuedMessages()}, in flight by {@value BrokerCore#MAX_INFLIGHT}, retained
 * topics by {@value BrokerCore#MAX_RETAINED}. Not bounded: the number of persistent sessions (one per
 * client id that ever connected with CleanSession=0), as in Mosquitto.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String NAME = "mqtt-broker";
    private static final String DESCRIPTION = "embedded MQTT broker";
    static final int OUTBOUND_HIGH_WATER_BYTES = 256 * 1024;
    private static final int OUTBOUND_LOW_WATER_BYTES = 64 * 1024;
    /** A socket that sends no CONNECT within this time is closed (section 3.1: "within a reasonable amount of time"). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final EmbeddedBrokerConfig config;
    private final BrokerCounters counters = new BrokerCounters();
    private final NamedThreadFactory ioThreads = new NamedThreadFactory(NAME + "-io", false);
    private final LogThrottle problemLog = new LogThrottle(Duration.ofMinutes(1));
    private final EventLoopGroup group;
    private final ChannelGroup clients;
    private final BrokerAuthenticator authenticator;
    private final BrokerCore core;
    private volatile List<Channel> listeners = List.of();
    private boolean closed;

    private EmbeddedBroker(EmbeddedBrokerConfig config) {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, ioThreads, NioIoHandler.newFactory());
        this.clients = new DefaultChannelGroup(NAME, group.next());
        this.authenticator = new BrokerAuthenticator(NAME, config.users());
        this.core = new BrokerCore(counters, config.maxQueuedMessages());
    }

    /**
     * Starts a broker listening on every configured address. An address this host does not have
     * (no IPv6, say) is a warning while another bound; anything else releases everything and throws.
     *
     * @throws BrokerBindException naming the address that could not be bound
     */
    public static EmbeddedBroker start(EmbeddedBrokerConfig config) throws BrokerBindException {
        EmbeddedBroker broker = new EmbeddedBroker(config);
        try {
            broker.bind();
        } catch (BrokerBindException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void bind() throws BrokerBindException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(OUTBOUND_LOW_WATER_BYTES, OUTBOUND_HIGH_WATER_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        ch.pipeline()
                                .addLast(ClientConnection.IDLE_HANDLER,
                                        new IdleStateHandler(CONNECT_TIMEOUT.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                // Caps the remaining length before buffering the packet (section 2.2.3).
                                .addLast("decoder", new MqttDecoder(config.maxPacketBytes()))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("client", new ClientConnection(DESCRIPTION, core, counters, authenticator,
                                        config.maxConnections(), problemLog));
                    }
                });
        try {
            listeners = Listeners.bind(bootstrap, DESCRIPTION, config.bindHosts(), config.port());
        } catch (HttpBindException e) {
            throw new BrokerBindException(e);
        }
        LOG.info("{}: listening on {}", DESCRIPTION,
                boundAddresses().stream().map(EmbeddedBroker::describe).collect(Collectors.joining(", ")));
    }

    /** Where the broker listens; empty after {@link #close()}. */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).collect(Collectors.toUnmodifiableList());
    }

    /** The port listened on (the one picked, if the configuration said 0). */
    public int port() {
        List<InetSocketAddress> bound = boundAddresses();
        return bound.isEmpty() ? config.port() : bound.get(0).getPort();
    }

    public EmbeddedBrokerStats stats() {
        return counters.snapshot();
    }

    /**
     * The most bytes any one connection has written and not yet taken by its socket (Netty's
     * count, which adds a small per-write overhead): what a slow consumer costs.
     */
    long largestOutboundBytesQueued() {
        long largest = 0;
        for (Channel c : clients) {
            var buffer = c.unsafe().outboundBuffer();
            largest = Math.max(largest, buffer == null ? 0 : buffer.totalPendingWriteBytes());
        }
        return largest;
    }

    /**
     * Stops listening, closes every connection (no wills are published: the broker, not the
     * clients, is going away) and returns once the broker's threads have ended.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        group.next().submit(core::stop).awaitUninterruptibly(SHUTDOWN_WAIT.toMillis());
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        listeners = List.of();
        group.shutdownGracefully(0, SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT.toMillis());
        try {
            authenticator.close();
            if (!ioThreads.joinAll(SHUTDOWN_WAIT)) {
                LOG.warn("{}: its event loop did not end within {}s", DESCRIPTION, SHUTDOWN_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{}: stopped", DESCRIPTION);
    }

    static String describe(InetSocketAddress a) {
        String h = a.getAddress() == null ? "*" : a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

}
