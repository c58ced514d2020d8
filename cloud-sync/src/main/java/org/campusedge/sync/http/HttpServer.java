package org.campusedge.sync.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.runtime.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A small HTTP/1.1 server: Netty event loops ({@code <name>-io-N}) parse requests, gunzip
 * bodies sent with {@code Content-Encoding: gzip} and cap them at {@code maxBodyBytes} (413),
 * answer malformed requests with 400, and hand complete requests to a bounded pool of worker
 * threads ({@code <name>-worker-N}) that run the {@link Router}, so routes may block. A route
 * that throws yields a 500 JSON error; the connection and the server carry on. Connections are
 * kept alive unless the client asks otherwise. Routes added with {@link Router#stream} serve
 * server-sent events from an {@link SseHub}; {@link #close()} ends those streams cleanly first.
 * With a {@link ServerTls} every connection is HTTPS (TLS 1.3/1.2 on the JDK provider). Responses
 * of 1 KiB or more are gzipped for clients that accept it ({@link GzipResponses}).
 *
 * <p>{@link #start()} and {@link #close()} are called by the owning thread (the service that
 * created the server); {@link #stats()}, {@link #port()} and {@link #boundAddresses()} may be
 * called from any thread.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int IO_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final int WORKER_THREADS = 8;
    private static final int WORKER_QUEUE = 256;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final List<String> bindHosts;
    private final int port;
    private final int maxBodyBytes;
    private final Router router;
    private final Optional<ServerTls> tls;
    private final ServerCounters counters = new ServerCounters();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle tlsLog = new LogThrottle(Duration.ofMinutes(1));
    private final Set<SseSession> streams = ConcurrentHashMap.newKeySet();

    private final NamedThreadFactory ioThreads;
    private final NamedThreadFactory workerThreads;
    private EventLoopGroup group;
    private ThreadPoolExecutor workers;
    private volatile List<Channel> channels = List.of();
    private boolean started;

    /**
     * @param name         names the threads and every log line, e.g. {@code datacenter}
     * @param bindHosts    addresses to listen on: IP literals, host names, {@code localhost}
     *                     (127.0.0.1 and ::1), or {@code *} / {@code 0.0.0.0} / {@code ::} for all interfaces
     * @param port         the TCP port; 0 picks a free one (shared by every bind host)
     * @param maxBodyBytes largest request body accepted, after gunzip
     * @param router       the routes
     */
    public HttpServer(String name, List<String> bindHosts, int port, int maxBodyBytes, Router router) {
        this(name, bindHosts, port, maxBodyBytes, router, Optional.empty());
    }

    /**
     * A server that speaks HTTPS when {@code tls} is present; the other parameters as in
     * {@link #HttpServer(String, List, int, int, Router)}.
     */
    public HttpServer(String name, List<String> bindHosts, int port, int maxBodyBytes, Router router,
                      Optional<ServerTls> tls) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.bindHosts = List.copyOf(bindHosts);
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.router = Objects.requireNonNull(router, "router");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.ioThreads = new NamedThreadFactory(name + "-io", false);
        this.workerThreads = new NamedThreadFactory(name + "-worker", false);
    }

    /**
     * Listens on every bind host. An address that does not exist here (no IPv6, an interface
     * that is down) is a warning as long as another address bound; anything else, or nothing
     * bound at all, releases what was taken and throws.
     */
    public synchronized void start() throws HttpBindException {
        if (started) {
            throw new IllegalStateException(name + ": an HttpServer starts once");
        }
        started = true;
        group = new MultiThreadIoEventLoopGroup(IO_THREADS, ioThreads, NioIoHandler.newFactory());
        workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), workerThreads);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        tls.ifPresent(t -> ch.pipeline()
                                .addLast("tls", t.context().newHandler(ch.alloc()))
                                .addLast("tls-count", new TlsHandshakeCounter(name, counters, tlsLog)));
                        ch.pipeline()
                                .addLast("codec", new HttpServerCodec())
                                .addLast("deflate", new GzipResponses(counters))
                                // Decompress before aggregating, so the size cap applies to the real body.
                                .addLast("inflate", new HttpContentDecompressor(maxBodyBytes))
                                .addLast("aggregate", new BodyAggregator(maxBodyBytes, counters))
                                .addLast("requests", new RequestHandler(name, router, workers, counters, failureLog, streams));
                    }
                });
        try {
            channels = Listeners.bind(bootstrap, name, bindHosts, port);
        } catch (HttpBindException e) {
            releaseThreads();
            throw e;
        }
        LOG.info("{}: listening ({}) on {}", name, tls.isPresent() ? "https" : "http", boundAddresses().stream()
                .map(HttpServer::describe).collect(Collectors.joining(", ")));
    }

    /** Where the server listens; empty before {@link #start()} and after {@link #close()}. */
    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).collect(Collectors.toUnmodifiableList());
    }

    /** The port listened on; the configured port before {@link #start()}. */
    public int port() {
        List<InetSocketAddress> bound = boundAddresses();
        return bound.isEmpty() ? port : bound.get(0).getPort();
    }

    /** Whether connections are HTTPS. */
    public boolean secure() {
        return tls.isPresent();
    }

    public HttpServerStats stats() {
        return counters.snapshot();
    }

    /** Stops listening, closes every connection and returns once all the server's threads have ended. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
        channels = List.of();
        endStreams();
        releaseThreads();
        LOG.info("{}: stopped", name);
    }

    /** Ends every event stream with a proper end of response, so clients see a clean close. */
    private void endStreams() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (SseSession s : List.copyOf(streams)) {
            closing.add(s.endAndClose());
        }
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    private void releaseThreads() {
        group.shutdownGracefully(0, SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT.toMillis());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: requests still running after {}s; interrupting them", name, SHUTDOWN_WAIT.toSeconds());
                workers.shutdownNow();
            }
            if (!ioThreads.joinAll(SHUTDOWN_WAIT) || !workerThreads.joinAll(SHUTDOWN_WAIT)) {
                LOG.warn("{}: some server threads did not end within {}s", name, SHUTDOWN_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group = null;
    }

    /** True for failures that mean "this address is not on this host", as opposed to "taken". */
    private static String describe(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

}
