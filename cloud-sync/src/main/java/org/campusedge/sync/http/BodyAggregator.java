package org.campusedge.sync.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, counting the requests it refuses. Netty answers 413 itself and keeps the
 * connection only when it can skip the rest of the body safely (RFC 9110 section 15.5.14).
 */
final class BodyAggregator extends HttpObjectAggregator {

    private final ServerCounters counters;

    BodyAggregator(int maxBodyBytes, ServerCounters counters) {
        super(maxBodyBytes);
        this.counters = counters;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        counters.oversize();
        counters.replied(413);
        super.handleOversizedMessage(ctx, oversized);
    }
}
