package org.campusedge.sync.uplink;

import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.runtime.NamedThreadFactory;
import org.campusedge.sync.uplink.UplinkException.Reason;
import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.BacklogHeader;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.StreamMarks;
import org.campusedge.sync.wire.WireError;
import org.campusedge.sync.wire.WireFormatException;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Talks to the data center over HTTP or HTTPS with the JDK's {@link HttpClient}: posts
 * {@link IngestBatch}es (gzip-compressed from a configurable size on) and reads
 * {@link StreamMarks}; accepts gzip answers. Every failure is an {@link UplinkException} with a
 * {@link Reason}; a 429 carries the center's {@code Retry-After}. Every request carries the box's
 * backlog ({@value Backlog#HEADER}) when a source is set ({@link #reportBacklog}); an upload carries
 * the backlog as it will be once the center has the batch.
 *
 * <p>Thread-safe; the JDK client's callbacks run on daemon threads named {@code uplink-http-N}.
 * {@link #close()} stops them; requests still in flight are abandoned.
 */
public final class UplinkClient implements AutoCloseable {

    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final int gzipMinBytes;
    private final ExecutorService executor;
    private final HttpClient http;
    private volatile Supplier<Optional<Backlog>> backlog = Optional::empty;

    /**
     * @param baseUrl        the data center, e.g. {@code https://sync.city.example}; a path prefix is kept
     * @param token          this device's bearer token
     * @param requestTimeout how long to wait to connect and for each answer
     */
    public UplinkClient(URI baseUrl, String token, Duration requestTimeout) {
        this(baseUrl, token, requestTimeout, Optional.empty(), 0);
    }

    /**
     * @param baseUrl        the data center, e.g. {@code https://sync.city.example}; a path prefix is kept
     * @param token          this device's bearer token
     * @param requestTimeout how long to wait to connect and for each answer
     * @param tls            whom to trust for {@code https://} ({@link TrustedCertificates}); empty: the JDK's CAs
     * @param gzipMinBytes   batches whose JSON is at least this long are sent gzip-compressed; 0 compresses every batch
     */
    public UplinkClient(URI baseUrl, String token, Duration requestTimeout, Optional<SSLContext> tls, int gzipMinBytes) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(tls, "tls");
        if (gzipMinBytes < 0) {
            throw new IllegalArgumentException("gzipMinBytes must not be negative, got " + gzipMinBytes);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        String s = baseUrl.toString();
        this.baseUrl = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.authorization = "Bearer " + token;
        this.requestTimeout = requestTimeout;
        this.gzipMinBytes = gzipMinBytes;
        this.executor = Executors.newCachedThreadPool(new NamedThreadFactory("uplink-http", true));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        tls.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /**
     * Where every request reads the backlog it reports; a source that throws or answers empty
     * leaves the header out (the center then keeps the last one it had).
     */
    public void reportBacklog(Supplier<Optional<Backlog>> source) {
        backlog = Objects.requireNonNull(source, "source");
    }

    /** Posts {@code batch} to {@code /v1/ingest}; completes with the center's acknowledgement. */
    public CompletableFuture<IngestAck> ingest(IngestBatch batch) {
        return ingest(batch, Optional.empty());
    }

    /**
     * Posts {@code batch} to {@code /v1/ingest} reporting {@code after}, what the box will still
     * have to send once the center holds the batch (instead of the {@link #reportBacklog} source).
     */
    public CompletableFuture<IngestAck> ingest(IngestBatch batch, Optional<Backlog> after) {
        byte[] body;
        try {
            body = JsonCodec.encode(batch);
        } catch (WireFormatException e) {
            return CompletableFuture.failedFuture(new UplinkException(Reason.REJECTED, 0,
                    "cannot encode batch " + batch.stream() + " " + batch.fromSeq() + ".." + batch.toSeq() + ": " + e.getMessage(), -1, e));
        }
        HttpRequest.Builder builder = request("/v1/ingest", after.isEmpty()).header("Content-Type", "application/json");
        after.ifPresent(b -> builder.header(Backlog.HEADER, BacklogHeader.encode(b)));
        if (body.length >= gzipMinBytes) {
            body = JsonCodec.gzip(body);
            builder.header("Content-Encoding", "gzip");
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return exchange(request, IngestAck.class);
    }

    /**
     * Posts {@code gap} to {@code /v1/gaps}; completes with the center's mark, moved past the gap.
     * A center that predates gap declarations answers 404, which surfaces as {@code REJECTED}.
     */
    public CompletableFuture<IngestAck> declare(GapDeclaration gap) {
        byte[] body;
        try {
            body = JsonCodec.encode(gap);
        } catch (WireFormatException e) {
            return CompletableFuture.failedFuture(new UplinkException(Reason.REJECTED, 0,
                    "cannot encode gap " + gap.stream() + " " + gap.fromSeq() + ".." + gap.toSeq() + ": " + e.getMessage(), -1, e));
        }
        HttpRequest request = request("/v1/gaps")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return exchange(request, IngestAck.class);
    }

    /** {@link #declare(GapDeclaration)}, waiting for the answer. */
    public IngestAck sendGap(GapDeclaration gap) throws UplinkException, InterruptedException {
        return await(declare(gap));
    }

    /** Reads the center's acknowledged marks for {@code deviceId}. */
    public CompletableFuture<StreamMarks> streamMarks(String deviceId) {
        HttpRequest request = request("/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + "/streams")
                .GET()
                .build();
        return exchange(request, StreamMarks.class);
    }

    /**
     * Asks for what changed in this device's downlink after {@code since}, the version it runs
     * (which the center records as such); with {@code wait} above zero the center may hold the
     * request that long for a change (long-poll).
     */
    public CompletableFuture<DownlinkDelta> downlink(String deviceId, long since, Duration wait) {
        HttpRequest request = request("/v1/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + "/downlink?since=" + since + "&wait=" + wait.toSeconds())
                .timeout(requestTimeout.plus(wait))
                .GET()
                .build();
        return exchange(request, DownlinkDelta.class);
    }

    /** {@link #downlink(String, long, Duration)}, waiting for the answer (the long-poll's wait on top of the usual bound). */
    public DownlinkDelta fetchDownlink(String deviceId, long since, Duration wait) throws UplinkException, InterruptedException {
        return await(downlink(deviceId, since, wait), wait);
    }

    /** {@link #ingest(IngestBatch)}, waiting for the answer. Interrupting abandons the request. */
    public IngestAck send(IngestBatch batch) throws UplinkException, InterruptedException {
        return await(ingest(batch));
    }

    /** {@link #ingest(IngestBatch, Optional)}, waiting for the answer. Interrupting abandons the request. */
    public IngestAck send(IngestBatch batch, Optional<Backlog> after) throws UplinkException, InterruptedException {
        return await(ingest(batch, after));
    }

    /** {@link #streamMarks(String)}, waiting for the answer. */
    public StreamMarks fetchMarks(String deviceId) throws UplinkException, InterruptedException {
        return await(streamMarks(deviceId));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private HttpRequest.Builder request(String path) {
        return request(path, true);
    }

    /** A request to {@code path}; with {@code reportBacklog} it carries the backlog source's report. */
    private HttpRequest.Builder request(String path, boolean reportBacklog) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip");
        if (!reportBacklog) {
            return b;
        }
        Optional<Backlog> now;
        try {
            now = backlog.get();
        } catch (RuntimeException e) {
            now = Optional.empty(); // the report is for operators; the request goes without it
        }
        now.filter(n -> !n.streams().isEmpty()).ifPresent(n -> b.header(Backlog.HEADER, BacklogHeader.encode(n)));
        return b;
    }

    private <T> CompletableFuture<T> exchange(HttpRequest request, Class<T> type) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(network(request, error));
                    }
                    try {
                        return answer(request, response, type);
                    } catch (UplinkException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    private <T> T await(CompletableFuture<T> future) throws UplinkException, InterruptedException {
        return await(future, Duration.ZERO);
    }

    private <T> T await(CompletableFuture<T> future, Duration serverWait) throws UplinkException, InterruptedException {
        try {
            // The request timeout covers waiting for the answer's head; this bounds the body too.
            return future.get(requestTimeout.toMillis() * 2 + serverWait.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof UplinkException u) {
                throw u;
            }
            throw new UplinkException(Reason.NETWORK, 0, String.valueOf(cause), -1, cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new UplinkException(Reason.NETWORK, 0, "no complete answer within " + requestTimeout.multipliedBy(2), -1, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    private static <T> T answer(HttpRequest request, HttpResponse<byte[]> response, Class<T> type) throws UplinkException {
        int status = response.statusCode();
        String what = request.method() + " " + request.uri();
        byte[] body;
        try {
            body = gunzipIfCompressed(response);
        } catch (WireFormatException e) {
            throw new UplinkException(Reason.SERVER_ERROR, status, what + ": unreadable answer: " + e.getMessage(), -1, e);
        }
        if (status == 200) {
            try {
                return JsonCodec.decode(body, type);
            } catch (WireFormatException e) {
                throw new UplinkException(Reason.SERVER_ERROR, status, what + ": unreadable answer: " + e.getMessage(), -1, e);
            }
        }
        WireError error = readError(body);
        if (status == 429) {
            Duration retryAfter = retryAfter(response).orElse(Duration.ZERO);
            throw new UplinkException(Reason.THROTTLED, status, what + " answered 429" + (error.message() == null ? "" : ": " + error.message()),
                    -1, null, retryAfter);
        }
        String detail = what + " answered " + status + (error.message() == null ? "" : ": " + error.message());
        if (status == 409 && "gap".equals(error.error()) && error.ackedSeq() != null) {
            throw new UplinkException(Reason.GAP, status, detail, error.ackedSeq(), null);
        }
        Reason reason;
        if (status == 401) {
            reason = Reason.UNAUTHORIZED;
        } else if (status == 403) {
            reason = Reason.FORBIDDEN;
        } else if (status >= 500) {
            reason = Reason.SERVER_ERROR;
        } else {
            reason = Reason.REJECTED;
        }
        throw new UplinkException(reason, status, detail, -1, null);
    }

    /** Answers are small; this only bounds what a broken or hostile server could make us inflate. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private static byte[] gunzipIfCompressed(HttpResponse<byte[]> response) throws WireFormatException {
        String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "gzip", "x-gzip" -> JsonCodec.gunzip(response.body(), MAX_ANSWER_BYTES);
            case "identity", "" -> response.body();
            default -> throw new WireFormatException("unsupported Content-Encoding " + encoding, null);
        };
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3); empty if absent or unreadable. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static WireError readError(byte[] body) {
        try {
            return JsonCodec.decode(body, WireError.class);
        } catch (WireFormatException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return WireError.of("unknown", text.isEmpty() ? null : text.substring(0, Math.min(200, text.length())));
        }
    }

    private static UplinkException network(HttpRequest request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String what = request.method() + " " + request.uri() + ": ";
        if (cause instanceof HttpTimeoutException) {
            return new UplinkException(Reason.NETWORK, 0, what + "timed out (" + cause.getMessage() + ")", -1, cause);
        }
        if (cause instanceof ConnectException) {
            return new UplinkException(Reason.NETWORK, 0, what + "cannot connect"
                    + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), -1, cause);
        }
        if (cause instanceof IOException) {
            return new UplinkException(Reason.NETWORK, 0, what + cause, -1, cause);
        }
        return new UplinkException(Reason.NETWORK, 0, what + "request failed: " + cause, -1, cause);
    }
}
