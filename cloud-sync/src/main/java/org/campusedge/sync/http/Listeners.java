package org.campusedge.sync.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Binds a Netty server to every address of its configured bind hosts on one port: the HTTP
 * servers and the embedded MQTT broker listen the same way. {@code localhost} is 127.0.0.1 and
 * ::1; an address this host does not have (no IPv6, say) is skipped with a warning as long as
 * another one bound; port 0 picks a free port on the first address and uses it on the others,
 * picking again if a later address has it taken.
 */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final int PORT_ATTEMPTS = 5;

    private Listeners() {
    }

    /**
     * @param name  the server's name, for messages (e.g. {@code agent-http})
     * @param hosts configured bind hosts
     * @return the bound channels, one per address
     * @throws HttpBindException naming the address and the reason when an address cannot be bound
     */
    public static List<Channel> bind(ServerBootstrap bootstrap, String name, List<String> hosts, int port)
            throws HttpBindException {
        List<BindTarget> targets = BindTarget.resolve(name, hosts, port);
        for (int attempt = 1; ; attempt++) {
            try {
                return bindEach(bootstrap, name, targets, port);
            } catch (PortTakenException e) {
                // Port 0: the port the first address got is taken on another address; pick again.
                if (attempt == PORT_ATTEMPTS) {
                    throw e.failure;
                }
            }
        }
    }

    private static List<Channel> bindEach(ServerBootstrap bootstrap, String name, List<BindTarget> targets, int port)
            throws HttpBindException, PortTakenException {
        int chosen = port;
        List<Channel> bound = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        HttpBindException firstUnavailable = null;
        for (BindTarget target : targets) {
            ChannelFuture f = bootstrap.bind(target.socketAddress(chosen)).awaitUninterruptibly();
            if (f.isSuccess()) {
                bound.add(f.channel());
                chosen = ((InetSocketAddress) f.channel().localAddress()).getPort();
                continue;
            }
            Throwable cause = f.cause();
            HttpBindException failure = new HttpBindException(name, target.describe(chosen), reason(cause), cause);
            if (isUnavailable(cause)) {
                unavailable.add(target.describe(chosen) + " (" + reason(cause) + ")");
                firstUnavailable = firstUnavailable == null ? failure : firstUnavailable;
                continue;
            }
            bound.forEach(c -> c.close().awaitUninterruptibly());
            if (port == 0 && !bound.isEmpty()) {
                throw new PortTakenException(failure);
            }
            throw failure;
        }
        if (bound.isEmpty()) {
            throw firstUnavailable;
        }
        for (String address : unavailable) {
            LOG.warn("{}: not listening on {}; serving on the other addresses", name, address);
        }
        return List.copyOf(bound);
    }

    /** True for failures that mean "this address is not on this host", as opposed to "taken". */
    private static boolean isUnavailable(Throwable cause) {
        if (cause instanceof java.nio.channels.UnsupportedAddressTypeException) {
            return true;
        }
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("cannot assign requested address")
                || m.contains("address family not supported")
                || m.contains("protocol family unavailable")
                || m.contains("address not available");
    }

    private static String reason(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The port picked for the first address is taken on a later one. */
    private static final class PortTakenException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient HttpBindException failure;

        PortTakenException(HttpBindException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
