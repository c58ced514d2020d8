package org.campusedge.sync.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@link BodyAnswer.Stream}: the response head, then the body in chunks of
 * {@link #CHUNK_BYTES} as its writer produces it. When the connection's outbound buffer is over
 * its high-water mark (a slow client), the writer's next chunk waits until the last one reached
 * the socket, so the body in memory is bounded by that mark and one chunk, however large the
 * export. A client that stalls for {@link #STALL_SECONDS} is disconnected.
 *
 * <p>Runs on the worker thread that resolved the request; Netty hands the writes to the event loop
 * in order. One instance per response.
 */
final class ChunkedBody {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    static final int CHUNK_BYTES = 32 * 1024;
    static final long STALL_SECONDS = 30;

    private final String serverName;
    private final ChannelHandlerContext ctx;
    private final ServerCounters counters;

    ChunkedBody(String serverName, ChannelHandlerContext ctx, ServerCounters counters) {
        this.serverName = serverName;
        this.ctx = ctx;
        this.counters = counters;
    }

    /** Sends the head and body; then runs {@code done} if the connection may carry on (it is closed otherwise). */
    void send(HttpRequestView view, BodyAnswer.Stream answer, boolean keepAlive, boolean http11, Runnable done) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        answer.headers().forEach((name, value) -> head.headers().set(name, value));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        boolean persistent = keepAlive && http11;
        if (http11) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        // Without chunked coding (HTTP/1.0) the body ends where the connection does (RFC 9112 section 6.3).
        head.headers().set(HttpHeaderNames.CONNECTION, persistent ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        counters.replied(200);
        ctx.writeAndFlush(head);
        Chunks out = new Chunks();
        try {
            answer.writer().write(out);
            out.flush();
            await(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        } catch (IOException | RuntimeException e) {
            // The head is gone: the only way left to say "incomplete" is to end the connection early.
            LOG.info("{}: streamed body of {} {} to {} ended early: {}", serverName, view.method(), view.path(),
                    view.remote(), e.toString());
            ctx.close();
            return;
        }
        if (persistent) {
            done.run();
        } else {
            ctx.close();
        }
    }

    private void await(ChannelFuture write) throws IOException {
        if (!write.awaitUninterruptibly(STALL_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("the client took no data for " + STALL_SECONDS + " s");
        }
        if (!write.isSuccess()) {
            throw new IOException("the client went away: " + write.cause(), write.cause());
        }
    }

    /** The body as the writer sees it: buffered to a chunk, each chunk written as it fills. */
    private final class Chunks extends OutputStream {

        private byte[] buffer = new byte[CHUNK_BYTES];
        private int used;

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used == 0) {
                return;
            }
            if (!ctx.channel().isActive()) {
                throw new IOException("the client went away");
            }
            // The chunk is handed to Netty as it is; this stream goes on with a fresh buffer.
            ChannelFuture write = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buffer, 0, used)));
            buffer = new byte[CHUNK_BYTES];
            used = 0;
            if (!ctx.channel().isWritable()) {
                await(write);
            }
        }

        @Override
        public void close() {
            // The server ends the response; a writer closing its stream changes nothing.
        }
    }

}
