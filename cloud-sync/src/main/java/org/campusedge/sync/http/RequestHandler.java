package org.campusedge.sync.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last handler of a connection: turns each aggregated request into an
 * {@link HttpRequestView}, runs the {@link Router} on a worker thread and writes the reply back
 * on the event loop. Requests on one connection are answered strictly in order (HTTP/1.1
 * pipelining, RFC 9112 section 9.3.2): while one is at a worker, later ones wait here and the
 * socket stops reading.
 *
 * <p>A request a stream route subscribes turns the connection into an event stream
 * ({@link SseSession}): the response never ends while the server runs, so anything the client
 * sends after it is read (to notice the client closing at once) and discarded.
 *
 * <p>A deferred route's reply ({@link DeferredRoute}) is written when its future completes; the
 * worker is free meanwhile. If the client closes the connection first, the future is cancelled so
 * its holder lets go (a parked long-poll frees its slot).
 *
 * <p>One instance per connection, owned by that connection's event loop thread.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final String serverName;
    private final Router router;
    private final Executor workers;
    private final ServerCounters counters;
    private final LogThrottle failureLog;
    private final Set<SseSession> streams;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private SseSession stream;
    private CompletableFuture<HttpReply> pending;

    RequestHandler(String serverName, Router router, Executor workers, ServerCounters counters, LogThrottle failureLog,
                   Set<SseSession> streams) {
        this.serverName = serverName;
        this.router = router;
        this.workers = workers;
        this.counters = counters;
        this.failureLog = failureLog;
        this.streams = streams;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stream != null || !(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        waiting.add(request);
        if (busy) {
            ctx.channel().config().setAutoRead(false);
        } else {
            next(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null && ctx.channel().isWritable()) {
            stream.drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (pending != null) {
            CompletableFuture<HttpReply> abandoned = pending;
            pending = null;
            abandoned.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Decoder-stage failures (a corrupt gzip body, a reset connection) land here; they are
        // the client's problem or the network's, so they are counted and logged, never rethrown.
        LOG.debug("{}: connection from {} failed: {}", serverName, ctx.channel().remoteAddress(), cause.toString());
        if (!busy && ctx.channel().isActive() && cause instanceof DecompressionException) {
            busy = true;
            // Netty's zlib decoder says "maximum size" when a body inflates past maxBodyBytes.
            boolean tooBig = String.valueOf(cause.getMessage()).contains("maximum size");
            if (tooBig) {
                counters.oversize();
            } else {
                counters.malformed();
            }
            send(ctx, tooBig
                    ? HttpReply.error(413, "too_large", "the decompressed request body exceeds the server's limit")
                    : HttpReply.error(400, "bad_request", "the request body could not be decompressed: " + cause.getMessage()),
                    false);
        } else {
            ctx.close();
        }
    }

    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        try {
            DecoderResult result = request.decoderResult();
            if (result.isFailure()) {
                counters.malformed();
                send(ctx, malformed(result.cause()), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
            HttpRequestView view;
            try {
                view = view(request, (InetSocketAddress) ctx.channel().remoteAddress());
            } catch (IllegalArgumentException e) {
                send(ctx, HttpReply.error(400, "bad_request", e.getMessage()), false);
                return;
            }
            try {
                workers.execute(() -> {
                    Router.Outcome outcome = dispatch(view);
                    if (outcome.body() != null) {
                        new ChunkedBody(serverName, ctx, counters).send(view, outcome.body(), keepAlive, http11,
                                () -> afterBody(ctx, keepAlive && http11));
                        return;
                    }
                    try {
                        ctx.executor().execute(() -> {
                            if (outcome.stream() != null) {
                                openStream(ctx, view, outcome.stream(), keepAlive, http11);
                            } else if (outcome.later() != null) {
                                awaitReply(ctx, view, outcome.later(), keepAlive);
                            } else {
                                send(ctx, outcome.reply(), keepAlive);
                            }
                        });
                    } catch (RejectedExecutionException closing) {
                        if (outcome.later() != null) {
                            outcome.later().cancel(false);
                        }
                        LOG.debug("{}: dropped the reply to {} {}: server is closing", serverName, view.method(), view.path());
                    }
                });
            } catch (RejectedExecutionException e) {
                send(ctx, HttpReply.error(503, "busy", "the server is overloaded; retry later")
                        .withHeader("Retry-After", "1"), keepAlive);
            }
        } finally {
            request.release();
        }
    }

    /** Writes a deferred route's reply once it comes, unless the connection closed first. Event loop only. */
    private void awaitReply(ChannelHandlerContext ctx, HttpRequestView view, CompletableFuture<HttpReply> later, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            later.cancel(false);
            return;
        }
        pending = later;
        later.whenComplete((reply, error) -> {
            try {
                ctx.executor().execute(() -> {
                    if (pending != later) {
                        return; // the connection closed and cancelled it
                    }
                    pending = null;
                    send(ctx, reply != null ? reply : failed(view, error), keepAlive);
                });
            } catch (RejectedExecutionException closing) {
                LOG.debug("{}: dropped the reply to {} {}: server is closing", serverName, view.method(), view.path());
            }
        });
    }

    private HttpReply failed(HttpRequestView view, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        failureLog.acquire().ifPresent(n -> LOG.warn("{}: {} {} from {} failed ({} similar suppressed)",
                serverName, view.method(), view.path(), view.remote(), n, cause));
        return HttpReply.error(500, "internal_error", "the server failed to handle " + view.method() + " " + view.path() + "; see its log");
    }

    private Router.Outcome dispatch(HttpRequestView view) {
        try {
            return router.resolve(view);
        } catch (Exception e) {
            failureLog.acquire().ifPresent(n -> LOG.warn("{}: {} {} from {} failed ({} similar suppressed)",
                    serverName, view.method(), view.path(), view.remote(), n, e));
            return Router.Outcome.of(HttpReply.error(500, "internal_error",
                    "the server failed to handle " + view.method() + " " + view.path() + "; see its log"));
        }
    }

    /**
     * Answers a subscription: 503 if its hub is full or closed, otherwise the response head
     * and then events until either side closes. Event loop only.
     */
    private void openStream(ChannelHandlerContext ctx, HttpRequestView view, SseAnswer.Subscribe subscription,
                            boolean keepAlive, boolean http11) {
        if (!ctx.channel().isActive()) {
            return;
        }
        SseSession session = new SseSession(serverName, ctx.channel(), subscription, http11, counters, streams);
        // Attach before writing the head: replayed events are queued now and written by a drain
        // that runs after this task, so after the head.
        String lastEventId = view.header("last-event-id");
        if (lastEventId == null) {
            lastEventId = view.queryParam("lastEventId").orElse(null);
        }
        if (!subscription.hub().attach(session, lastEventId)) {
            counters.streamRefused();
            send(ctx, HttpReply.error(503, "too_many_streams", "the server has as many event streams open as it serves; retry later")
                    .withHeader("Retry-After", String.valueOf(Math.max(1, subscription.hub().settings().retry().toSeconds()))),
                    keepAlive);
            return;
        }
        stream = session;
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        ctx.channel().config().setAutoRead(true);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                // nginx buffers proxied responses unless told not to.
                .set("X-Accel-Buffering", "no");
        if (http11) {
            HttpUtil.setTransferEncodingChunked(head, true);
        } else {
            // HTTP/1.0 has no chunked coding: the body is delimited by closing the connection
            // (RFC 9112 section 6.3, item 8).
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        counters.replied(200);
        ctx.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        session.start();
    }

    /** After a streamed body, on the worker: the next pipelined request, or the end of the connection. */
    private void afterBody(ChannelHandlerContext ctx, boolean keepAlive) {
        try {
            ctx.executor().execute(() -> {
                if (keepAlive && ctx.channel().isActive()) {
                    next(ctx);
                } else {
                    waiting.forEach(ReferenceCountUtil::release);
                    waiting.clear();
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException closing) {
            LOG.debug("{}: event loop closing after a streamed body", serverName);
        }
    }

    private void send(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        HttpUtil.setContentLength(response, reply.body().length);
        counters.replied(reply.status());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        next(ctx);
    }

    private static HttpReply malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpReply.error(414, "uri_too_long", "the request line is too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpReply.error(431, "headers_too_large", "the request headers are too large");
        }
        return HttpReply.error(400, "bad_request", "malformed HTTP request: " + cause.getMessage());
    }

    private static HttpRequestView view(FullHttpRequest request, InetSocketAddress remote) {
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            if (!uri.regionMatches(true, 0, "http://", 0, 7) && !uri.regionMatches(true, 0, "https://", 0, 8)) {
                throw new IllegalArgumentException("the request target must be a path, got \"" + uri + "\"");
            }
            URI absolute = URI.create(uri);
            uri = (absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath())
                    + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
        }
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        Map<String, List<String>> query = new HashMap<>();
        decoder.parameters().forEach((k, v) -> query.put(k, List.copyOf(v)));
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        return new HttpRequestView(request.method().name(), decoder.rawPath(), query, headers,
                ByteBufUtil.getBytes(request.content()), remote);
    }
}
