package io.tally.query.federation;

import io.tally.engine.util.ManualClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /federation/v1/status} over real HTTP: region eu with a live peer (us) and a dead one (ap, whose proxy
 * refuses every connection); its answer before any peer call, after a federated find, after the dead peer's breaker
 * opened; and that it needs no signature and shows no secret or credentials.
 */
class FederationStatusTest {
    static final long T = 1_699_999_980L;
    static final String SECRET = "status secret 42";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ManualClock clock;
    static RegionNode eu;
    static RegionNode us;
    static RegionNode ap;

    @BeforeAll
    static void start() throws Exception {
        clock = new ManualClock(T);
        long[] times = {T - 60, T};
        eu = new RegionNode("eu").data(dir.resolve("eu"), clock, Map.of("app.requests", 1.0), times);
        us = new RegionNode("us").data(dir.resolve("us"), clock, Map.of("app.requests", 2.0), times);
        ap = new RegionNode("ap").data(dir.resolve("ap"), clock, Map.of("app.requests", 4.0), times);
        Federation.Settings euSettings = new Federation.Settings("eu", "regions",
                List.of(us.asPeer("http"), ap.asPeer("http")), SECRET, Duration.ofMillis(1500), false, 2,
                Duration.ofSeconds(30), Duration.ZERO, 16L << 20, null);
        eu.start(euSettings, clock, null);
        us.start(Federation.Settings.of("us", List.of(eu.asPeer("http")), SECRET), clock, null);
        ap.proxy.mode(TcpProxy.Mode.REFUSE);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RegionNode n : new RegionNode[] {eu, us, ap}) {
            if (n != null) {
                n.close();
            }
        }
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(eu.base("http") + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject peer(JsonObject status, String region) {
        for (Object o : status.getJsonArray("peers")) {
            JsonObject p = (JsonObject) o;
            if (p.getString("region").equals(region)) {
                return p;
            }
        }
        throw new AssertionError("no peer " + region + " in " + status);
    }

    @Test
    void reportsEachPeersReachabilityAfterAFederatedRequest() throws Exception {
        HttpResponse<String> find = get("/metrics/find?query=regions.*.app");
        assertThat(find.headers().firstValue("X-Tally-Partial")).hasValue("ap=unreachable");
        long seen = clock.currentTimeMillis();

        HttpResponse<String> r = get(FederationStatus.PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonObject status = new JsonObject(r.body());
        assertThat(status.getString("region")).isEqualTo("eu");
        assertThat(status.getString("root")).isEqualTo("regions");
        assertThat(status.getJsonArray("regions")).isEqualTo(new JsonArray(List.of("ap", "eu", "us")));
        assertThat(status.getJsonArray("peers").stream().map(o -> ((JsonObject) o).getString("region")))
                .containsExactly("ap", "us");

        JsonObject live = peer(status, "us");
        assertThat(live.getString("state")).isEqualTo("closed");
        assertThat(live.getString("url")).isEqualTo("http://127.0.0.1:" + us.proxy.port());
        assertThat(live.getString("last_ok_at")).isEqualTo(java.time.Instant.ofEpochMilli(seen).toString());
        assertThat(live.getValue("last_error")).isNull();
        assertThat(live.getValue("last_error_at")).isNull();

        JsonObject dead = peer(status, "ap");
        assertThat(dead.getValue("last_ok_at")).isNull();
        assertThat(dead.getString("last_error")).startsWith("unreachable");
        assertThat(dead.getString("last_error_at")).isEqualTo(java.time.Instant.ofEpochMilli(seen).toString());
        assertThat(r.body()).doesNotContain(SECRET);

        get("/metrics/find?query=regions.ap.*"); // the second failure opens ap's breaker (threshold 2)
        assertThat(peer(new JsonObject(get(FederationStatus.PATH).body()), "ap").getString("state"))
                .isEqualTo("open");
    }

    @Test
    void needsNoSignatureWhileThePeerEndpointsDo() throws Exception {
        assertThat(get(FederationStatus.PATH).statusCode()).isEqualTo(200);
        assertThat(get(FederationEndpoints.FIND + "?query=*").statusCode()).isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(eu.base("http") + FederationStatus.PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isNotEqualTo(200);
    }

    @Test
    void peerUrlsLoseCredentialsQueryAndFragment() {
        assertThat(Federation.publicUrl(URI.create("https://user:pw@tally.example:8443/prefix?token=x#frag")))
                .isEqualTo("https://tally.example:8443/prefix");
        assertThat(Federation.publicUrl(URI.create("http://10.0.0.1:8080/"))).isEqualTo("http://10.0.0.1:8080");
        assertThat(Federation.publicUrl(URI.create("http://tally.example"))).isEqualTo("http://tally.example");
    }
}
