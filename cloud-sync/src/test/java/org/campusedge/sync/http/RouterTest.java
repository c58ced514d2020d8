package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private static HttpRequestView request(String method, String path) {
        return new HttpRequestView(method, path, Map.of(), Map.of(), new byte[0], new InetSocketAddress("127.0.0.1", 1));
    }

    @Test
    void passes_decoded_path_parameters_to_the_route() throws Exception {
        Router router = new Router().get("/v1/devices/{id}/streams",
                (req, params) -> HttpReply.text(200, "device=" + params.get("id")));

        HttpReply reply = router.handle(request("GET", "/v1/devices/box%201/streams"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.bodyText()).isEqualTo("device=box 1");
    }

    @Test
    void answers_404_for_an_unknown_path_and_for_an_empty_placeholder() throws Exception {
        Router router = new Router().get("/v1/devices/{id}/streams", (req, params) -> HttpReply.text(200, "x"));

        assertThat(router.handle(request("GET", "/v1/nothing")).status()).isEqualTo(404);
        assertThat(router.handle(request("GET", "/v1/devices//streams")).status()).isEqualTo(404);
        assertThat(router.handle(request("GET", "/v1/devices/a/streams/extra")).status()).isEqualTo(404);
    }

    @Test
    void answers_404_for_a_placeholder_with_a_broken_percent_escape() throws Exception {
        Router router = new Router().get("/v1/devices/{id}", (req, params) -> HttpReply.text(200, "x"));

        assertThat(router.handle(request("GET", "/v1/devices/%zz")).status()).isEqualTo(404);
        assertThat(router.handle(request("GET", "/v1/devices/a%4")).status()).isEqualTo(404);
    }

    @Test
    void answers_405_with_the_allowed_methods_for_a_known_path() throws Exception {
        Router router = new Router()
                .get("/v1/items", (req, params) -> HttpReply.text(200, "list"))
                .post("/v1/items", (req, params) -> HttpReply.text(201, "made"));

        HttpReply reply = router.handle(request("DELETE", "/v1/items"));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers()).containsEntry("Allow", "GET, POST");
        assertThat(reply.bodyText()).contains("\"error\":\"method_not_allowed\"");
    }

    @Test
    void first_registered_matching_pattern_wins() throws Exception {
        Router router = new Router()
                .get("/v1/items/special", (req, params) -> HttpReply.text(200, "literal"))
                .get("/v1/items/{id}", (req, params) -> HttpReply.text(200, "param " + params.get("id")));

        assertThat(router.handle(request("GET", "/v1/items/special")).bodyText()).isEqualTo("literal");
        assertThat(router.handle(request("GET", "/v1/items/7")).bodyText()).isEqualTo("param 7");
        assertThat(router.patterns()).containsEntry("GET", java.util.List.of("/v1/items/special", "/v1/items/{id}"));
    }

    @Test
    void rejects_malformed_patterns() {
        assertThatThrownBy(() -> new Router().get("v1/x", (req, params) -> HttpReply.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().get("/v1/{id", (req, params) -> HttpReply.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{id");
    }

    @Test
    void stream_route_passes_path_params_and_resolves_to_its_subscription_or_refusal() throws Exception {
        SseHub hub = new SseHub("test", SseSettings.defaults());
        Router router = new Router().stream("/rooms/{id}/stream", (req, params) -> params.get("id").equals("nope")
                ? SseAnswer.refuse(HttpReply.error(404, "no_room", "no room nope"))
                : SseAnswer.subscribe(hub, e -> params.get("id").equals(e.key())));

        Router.Outcome ok = router.resolve(request("GET", "/rooms/studio-1/stream"));

        assertThat(ok.reply()).isNull();
        assertThat(ok.stream().hub()).isSameAs(hub);
        assertThat(ok.stream().filter().test(new SseEvent(1, "x-1", "room", "studio-1", "{}"))).isTrue();
        assertThat(ok.stream().filter().test(new SseEvent(2, "x-2", "room", "lab-2", "{}"))).isFalse();
        assertThat(router.handle(request("GET", "/rooms/nope/stream")).status()).isEqualTo(404);
        assertThat(router.handle(request("POST", "/rooms/a/stream")).status()).isEqualTo(405);
        assertThatThrownBy(() -> router.handle(request("GET", "/rooms/a/stream")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stream");
    }

    @Test
    void a_guard_answers_before_any_route_and_lets_the_rest_through() throws Exception {
        Router router = new Router()
                .get("/open", (req, params) -> HttpReply.text(200, "open"))
                .get("/closed", (req, params) -> HttpReply.text(200, "secret"))
                .guard(req -> req.path().equals("/open") ? java.util.Optional.empty()
                        : java.util.Optional.of(HttpReply.error(401, "unauthorized", "log in first")));

        assertThat(router.handle(request("GET", "/open")).bodyText()).isEqualTo("open");
        assertThat(router.handle(request("GET", "/closed")).status()).isEqualTo(401);
        assertThat(router.handle(request("GET", "/nowhere")).status()).as("before the 404 too").isEqualTo(401);
    }

    @Test
    void a_deferred_route_resolves_to_its_future_and_handle_waits_for_it() throws Exception {
        java.util.concurrent.CompletableFuture<HttpReply> later = new java.util.concurrent.CompletableFuture<>();
        Router router = new Router()
                .deferred("GET", "/v1/later", (req, params) -> later)
                .deferred("GET", "/v1/now", (req, params) -> java.util.concurrent.CompletableFuture.completedFuture(HttpReply.text(200, "now")));

        assertThat(router.resolve(request("GET", "/v1/now")).reply().bodyText()).isEqualTo("now");
        Router.Outcome pending = router.resolve(request("GET", "/v1/later"));
        assertThat(pending.reply()).isNull();
        assertThat(pending.later()).isSameAs(later);
        later.complete(HttpReply.text(200, "later"));
        assertThat(router.handle(request("GET", "/v1/later")).bodyText()).isEqualTo("later");
        assertThat(router.handle(request("POST", "/v1/later")).status()).isEqualTo(405);
    }
}
