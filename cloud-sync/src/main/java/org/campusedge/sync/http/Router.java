package org.campusedge.sync.http;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Maps method and path to a {@link Route}, after an optional {@link RequestGuard} has let the request through. Patterns are paths whose segments are literals or
 * {@code {name}} placeholders, e.g. {@code /v1/devices/{id}/streams}; the first pattern
 * registered that matches a path wins. A path no pattern matches is a 404; a path that
 * matches but not for this method is a 405 with an {@code Allow} header (RFC 9110 section 15.5.6).
 *
 * <p>{@link #stream(String, SseRoute)} adds a GET route that opens a server-sent-event stream;
 * {@link #download(String, BodyRoute)} one whose body may be streamed in chunks;
 * {@link #deferred(String, String, DeferredRoute)} one that may answer later without a thread.
 *
 * <p>Routes are added while building, before {@link HttpServer#start()}; after that the
 * router is read concurrently by the server's workers. Each addition publishes a new
 * immutable table, so late additions are safe too.
 */
public final class Router {

    private volatile List<Entry> entries = List.of();
    private volatile RequestGuard guard = request -> Optional.empty();

    /**
     * Puts {@code guard} in front of every route: it sees each request first and may refuse it
     * (authentication, CSRF checks). Replaces any guard set before; set it before
     * {@link HttpServer#start()}.
     */
    public Router guard(RequestGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        return this;
    }

    /** Adds a GET route. */
    public Router get(String pattern, Route route) {
        return route("GET", pattern, route);
    }

    /** Adds a POST route. */
    public Router post(String pattern, Route route) {
        return route("POST", pattern, route);
    }

    /**
     * Adds a GET route that answers with a {@code text/event-stream} (server-sent events) when
     * {@code route} subscribes, or with the reply it refuses with. The stream resumes after the
     * id in the {@code Last-Event-ID} header (what EventSource sends when it reconnects) or,
     * without that header, in the {@code lastEventId} query parameter (how a page that fetched
     * a snapshot tagged with {@link SseHub#lastEventId()} opens its first stream without a gap).
     * When the hub already has {@link SseSettings#maxStreams()} streams, or is closed, the answer
     * is 503 with {@code Retry-After}. EventSource does not reconnect after any answer but a 200
     * event stream (WHATWG HTML 9.2.3, "fail the connection"), so a page retries those itself.
     */
    public Router stream(String pattern, SseRoute route) {
        Objects.requireNonNull(route, "route");
        return add("GET", pattern, null, route, null, null);
    }

    /**
     * Adds a GET route whose answer may be a body written in chunks as it is produced (a large
     * export), so neither side holds all of it; see {@link BodyAnswer#stream}.
     */
    public Router download(String pattern, BodyRoute route) {
        Objects.requireNonNull(route, "route");
        return add("GET", pattern, null, null, route, null);
    }

    /** Adds a route for any method, e.g. {@code PUT} or {@code DELETE}. */
    public Router route(String method, String pattern, Route route) {
        Objects.requireNonNull(route, "route");
        return add(method, pattern, route, null, null, null);
    }

    /** Adds a route that answers with a future: the worker is free while it is pending (see {@link DeferredRoute}). */
    public Router deferred(String method, String pattern, DeferredRoute route) {
        Objects.requireNonNull(route, "route");
        return add(method, pattern, null, null, null, route);
    }

    private synchronized Router add(String method, String pattern, Route route, SseRoute stream, BodyRoute body,
                                    DeferredRoute deferred) {
        String m = method.toUpperCase(Locale.ROOT);
        List<String> segments = segments(pattern);
        for (String s : segments) {
            if (s.startsWith("{") != s.endsWith("}") || s.equals("{}")) {
                throw new IllegalArgumentException("bad segment \"" + s + "\" in route pattern " + pattern);
            }
        }
        List<Entry> copy = new ArrayList<>(entries);
        copy.add(new Entry(m, pattern, segments, route, stream, body, deferred));
        entries = List.copyOf(copy);
        return this;
    }

    /**
     * Finds and runs the route for {@code request}; answers 404 or 405 itself. Exceptions from
     * the route propagate (the server turns them into 500). A stream route's refusal is returned
     * like any reply; a stream it accepts can only be served by {@link HttpServer}. A deferred
     * route's reply is waited for here (this method is for tests and in-process callers).
     *
     * @throws IllegalStateException if a stream route subscribed, or a download route streams its body
     */
    public HttpReply handle(HttpRequestView request) throws Exception {
        Outcome outcome = resolve(request);
        if (outcome.stream() != null || outcome.body() != null) {
            throw new IllegalStateException("GET " + request.path() + " is streamed; only HttpServer can serve it");
        }
        if (outcome.later() != null) {
            try {
                return outcome.later().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return outcome.reply();
    }

    /** What a request resolved to: a reply, a subscription to stream, a body to stream, or a reply to come. Exactly one is non-null. */
    record Outcome(HttpReply reply, SseAnswer.Subscribe stream, BodyAnswer.Stream body,
                   java.util.concurrent.CompletableFuture<HttpReply> later) {
        static Outcome of(HttpReply reply) {
            return new Outcome(Objects.requireNonNull(reply, "route returned no reply"), null, null, null);
        }

        /** A deferred route's answer; one already complete is taken as a plain reply. */
        static Outcome later(java.util.concurrent.CompletableFuture<HttpReply> later) {
            Objects.requireNonNull(later, "deferred route returned no future");
            if (later.isDone() && !later.isCompletedExceptionally()) {
                return of(later.join());
            }
            return new Outcome(null, null, null, later);
        }
    }

    /** Like {@link #handle}, but returns a stream route's subscription instead of failing. */
    Outcome resolve(HttpRequestView request) throws Exception {
        Optional<HttpReply> refused = guard.check(request);
        if (refused.isPresent()) {
            return Outcome.of(refused.get());
        }
        List<String> path = segments(request.path());
        List<String> allowed = new ArrayList<>();
        for (Entry e : entries) {
            Optional<Map<String, String>> params = e.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (e.method.equals(request.method())) {
                if (e.route != null) {
                    return Outcome.of(e.route.handle(request, params.get()));
                }
                if (e.body != null) {
                    BodyAnswer body = Objects.requireNonNull(e.body.handle(request, params.get()), "download route returned no answer");
                    return body instanceof BodyAnswer.Stream s ? new Outcome(null, null, s, null) : Outcome.of(((BodyAnswer.Reply) body).reply());
                }
                if (e.deferred != null) {
                    return Outcome.later(e.deferred.handle(request, params.get()));
                }
                SseAnswer answer = Objects.requireNonNull(e.stream.open(request, params.get()), "stream route returned no answer");
                if (answer instanceof SseAnswer.Subscribe s) {
                    // The route's own lease and the guard's: the stream lasts while both hold.
                    BooleanSupplier route = s.lease();
                    BooleanSupplier guarded = guard.lease(request);
                    return new Outcome(null, new SseAnswer.Subscribe(s.hub(), s.filter(),
                            () -> guarded.getAsBoolean() && route.getAsBoolean()), null, null);
                }
                return Outcome.of(((SseAnswer.Refuse) answer).reply());
            }
            if (!allowed.contains(e.method)) {
                allowed.add(e.method);
            }
        }
        if (allowed.isEmpty()) {
            return Outcome.of(HttpReply.error(404, "not_found", "no resource at " + request.path()));
        }
        return Outcome.of(HttpReply.error(405, "method_not_allowed",
                        request.method() + " is not supported on " + request.path() + "; use " + String.join(", ", allowed))
                .withHeader("Allow", String.join(", ", allowed)));
    }

    /** The patterns registered, by method, for logs and tests. */
    public Map<String, List<String>> patterns() {
        return entries.stream().collect(Collectors.groupingBy(e -> e.method, LinkedHashMap::new,
                Collectors.mapping(e -> e.pattern, Collectors.toList())));
    }

    private static List<String> segments(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got \"" + path + "\"");
        }
        List<String> out = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) {
            out.add(s);
        }
        return out;
    }

    /** One route: exactly one of {@code route}, {@code stream}, {@code body} and {@code deferred} is set. */
    private record Entry(String method, String pattern, List<String> segments, Route route, SseRoute stream, BodyRoute body,
                         DeferredRoute deferred) {

        Optional<Map<String, String>> match(List<String> path) {
            if (path.size() != segments.size()) {
                return Optional.empty();
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String want = segments.get(i);
                String got = path.get(i);
                if (want.startsWith("{")) {
                    if (got.isEmpty()) {
                        return Optional.empty();
                    }
                    String value;
                    try {
                        value = QueryStringDecoder.decodeComponent(got);
                    } catch (IllegalArgumentException badEscape) {
                        // "%zz" or a truncated "%4": no resource has that name, so a 404, not a 500.
                        return Optional.empty();
                    }
                    params.put(want.substring(1, want.length() - 1), value);
                } else if (!want.equals(got)) {
                    return Optional.empty();
                }
            }
            return Optional.of(Map.copyOf(params));
        }
    }
}
