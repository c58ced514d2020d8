package org.campusedge.sync.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts TLS handshakes and logs failed ones (rate-limited: a port scanner or a box with the
 * wrong CA would otherwise fill the log). The SslHandler closes a connection whose handshake
 * failed; nothing else to do here.
 *
 * <p>One instance per connection, owned by its event loop.
 */
final class TlsHandshakeCounter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final String serverName;
    private final ServerCounters counters;
    private final LogThrottle failureLog;

    TlsHandshakeCounter(String serverName, ServerCounters counters, LogThrottle failureLog) {
        this.serverName = serverName;
        this.counters = counters;
        this.failureLog = failureLog;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            counters.tlsHandshake(done.isSuccess());
            if (!done.isSuccess()) {
                // A client that does not trust our certificate just hangs up: say what that usually means.
                String why = done.cause() instanceof java.nio.channels.ClosedChannelException
                        ? "the client closed the connection (does it trust this server's certificate and name?)"
                        : done.cause().toString();
                failureLog.acquire().ifPresent(n -> LOG.warn("{}: TLS handshake with {} failed: {} ({} similar suppressed)",
                        serverName, ctx.channel().remoteAddress(), why, n));
            }
        }
        ctx.fireUserEventTriggered(event);
    }
}
