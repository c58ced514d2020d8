package org.campusedge.sync.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.util.List;

/**
 * Netty's response compressor, gzip only, for bodies of at least {@link #MIN_BYTES} when the
 * request's {@code Accept-Encoding} allows it (RFC 9110 section 12.5.3). Event streams are left
 * alone: a compressor may hold back bytes, and an event must reach the browser as it is written.
 * Counts the compressed responses and the compressed request bodies it sees go by.
 *
 * <p>One instance per connection, owned by its event loop.
 */
final class GzipResponses extends HttpContentCompressor {

    /** Smaller bodies (acks, errors) gain nothing from gzip. */
    static final int MIN_BYTES = 1024;

    private final ServerCounters counters;

    GzipResponses(ServerCounters counters) {
        super(MIN_BYTES, StandardCompressionOptions.gzip());
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpRequest request, List<Object> out) throws Exception {
        if (request.headers().contains(HttpHeaderNames.CONTENT_ENCODING)) {
            counters.compressedRequest();
        }
        super.decode(ctx, request, out);
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && type.startsWith("text/event-stream")) {
            return null;
        }
        Result result = super.beginEncode(response, acceptEncoding);
        if (result != null) {
            counters.compressedResponse();
        }
        return result;
    }
}
