package io.tally.query;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /events/get_data}, {@code POST /events} (token-guarded) and persistence across a restart, over HTTP. */
class EventsHttpTest {
    private static final String TOKEN = "s3cret";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;
    private Vertx vertx;
    private String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        base = deploy(TOKEN);
    }

    private String deploy(String token) throws Exception {
        GraphiteHttpServer s = new GraphiteHttpServer(new FakeReader(), new ManualClock(1_700_000_500),
                QueryLimits.defaults(), new GraphiteHttpServer.Settings("127.0.0.1", 0, "r", ZoneOffset.UTC,
                1 << 20, token, dir, 0, 1 << 20), new MetricsRegistry());
        vertx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + s.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String root, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + "/events/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String root, String q) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(root + q)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createdEventsAreReturnedAsGrafanaReadsThem() throws Exception {
        HttpResponse<String> created = post(base, "{\"what\": \"deploy\", \"tags\": \"deploy web\", "
                + "\"data\": \"v1.2\", \"when\": 1700000000}", TOKEN);
        assertThat(created.statusCode()).isEqualTo(200);
        post(base, "{\"what\": \"db\", \"tags\": [\"db\"]}", TOKEN);
        HttpResponse<String> r = get(base, "/events/get_data?from=1699999000&until=now&tags=deploy%20web");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("[{\"when\": 1700000000, \"what\": \"deploy\", \"data\": \"v1.2\", "
                + "\"tags\": [\"deploy\", \"web\"], \"id\": 1}]");
        JsonArray all = new JsonArray(get(base, "/events/get_data").body());
        assertThat(all).hasSize(2);
        assertThat(all.getJsonObject(1).getLong("when")).isEqualTo(1_700_000_500L);
        JsonArray union = new JsonArray(get(base, "/events/get_data?tags=web+db&set=union").body());
        assertThat(union).hasSize(2);
        assertThat(new JsonObject(get(base, "/events/2/").body()).getString("what")).isEqualTo("db");
        assertThat(get(base, "/events/99").statusCode()).isEqualTo(404);
    }

    @Test
    void writingNeedsTheApiTokenLikeTheTagWrites() throws Exception {
        assertThat(post(base, "{\"what\": \"x\"}", null).statusCode()).isEqualTo(401);
        assertThat(post(base, "{\"what\": \"x\"}", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(base, "/events").statusCode()).isEqualTo(405);
        assertThat(post(base, "{\"tags\": \"x\"}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(new JsonArray(get(base, "/events/get_data").body())).isEmpty();
        String noToken = deploy("");
        assertThat(post(noToken, "{\"what\": \"x\"}", "anything").statusCode()).isEqualTo(403);
    }

    @Test
    void eventsArePersistedInTheDataDirAndReloaded() throws Exception {
        post(base, "{\"what\": \"kept\", \"tags\": [\"a\"]}", TOKEN);
        assertThat(Files.readString(dir.resolve("events.jsonl"))).contains("\"kept\"");
        stop();
        vertx = Vertx.vertx();
        String again = deploy(TOKEN);
        JsonArray a = new JsonArray(get(again, "/events/get_data?tags=a").body());
        assertThat(a).hasSize(1);
        assertThat(a.getJsonObject(0).getString("what")).isEqualTo("kept");
    }

    @Test
    void badTimesAreJsonErrors() throws Exception {
        HttpResponse<String> r = get(base, "/events/get_data?from=garbage");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains("from");
    }
}
