package org.campusedge.sync.center;

import org.campusedge.sync.runtime.NamedThreadFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the data center whose behaviour a test switches: forward,
 * refuse connections (accept and reset), or forward requests but cut the connection when the
 * answer comes back, so the center stores a batch the box never hears about.
 *
 * <p>Threads: one acceptor and two pumps per connection, named {@code proxy-N}.
 */
final class CuttableProxy implements AutoCloseable {

    enum Mode { FORWARD, REFUSE, LOSE_REPLIES }

    private final ServerSocket server;
    private final int targetPort;
    private final NamedThreadFactory threads = new NamedThreadFactory("proxy", true);
    private final ExecutorService pool = Executors.newCachedThreadPool(threads);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cut = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;

    CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        pool.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections refused or cut so far. */
    int cut() {
        return cut.get();
    }

    /** Switches behaviour and drops every open connection, so pooled keep-alive connections see it too. */
    void mode(Mode next) {
        mode = next;
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(CuttableProxy::closeQuietly);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
            threads.joinAll(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.REFUSE) {
                cut.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), targetPort), 2_000);
                open.add(client);
                open.add(upstream);
                pool.execute(() -> pump(client, upstream, false));
                pool.execute(() -> pump(upstream, client, true));
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                if (replies && mode == Mode.LOSE_REPLIES) {
                    cut.incrementAndGet();
                    reset(to);
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away; closing both below ends the other pump too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed: nothing to reset.
        }
        closeQuietly(s);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Test scaffolding: a socket that fails to close is closed enough.
        }
    }
}
