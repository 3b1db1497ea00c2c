package io.tally.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tally.engine.api.PointBatch;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.name.MetricName;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the requests Grafana 11/12 sends (spec §3.10) byte for byte against a real {@link GraphiteHttpServer}
 * over a real {@link Engine}, and reads the answers as Grafana does: strict JSON (no NaN), {@code target} split on
 * the last space for the refId, treejson {@code text}/{@code expandable}, string arrays from tag auto-complete.
 */
class GrafanaWireTest {
    private static final long NOW = 1_700_000_000L;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonFactory STRICT = new JsonFactory();

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static Engine engine;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        engine = Engine.open(EngineOptions.builder(dir.resolve("data"))
                .schemas(StorageSchemas.parse("[all]\npattern = .*\nretentions = 60s:2d\n", "test"))
                .clock(clock).metrics(new MetricsRegistry()).shards(1).build());
        PointBatch b = engine.newBatch();
        for (long t = NOW - 6 * 3600; t <= NOW; t += 60) {
            b = add(b, "servers.web01.cpu", t, t % 7);
            b = add(b, "servers.web02.cpu", t, 50);
            b = add(b, "servers.web01.load", t, 1.5);
            b = add(b, MetricName.canonicalize("disk.used;rack=a1;dc=dc1"), t, 3);
        }
        engine.offer(b);
        engine.barrier();
        vertx = Vertx.vertx();
        GraphiteHttpServer server = new GraphiteHttpServer(engine, clock, QueryLimits.defaults(),
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "wire", ZoneOffset.UTC, 1 << 20),
                new MetricsRegistry());
        vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    private static PointBatch add(PointBatch b, String name, long t, double v) throws Exception {
        if (!b.hasRoom(name.length())) {
            if (!engine.offer(b)) {
                engine.barrier();
            }
            b = engine.newBatch();
        }
        b.add(name, t, v);
        return b;
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        engine.close();
    }

    private static HttpResponse<String> postForm(String pathAndQuery, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json, text/plain, */*")
                .header("X-Grafana-Org-Id", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "application/json, text/plain, */*").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Parses with Jackson's defaults (strict: NaN, Infinity, comments and trailing data are errors). */
    private static void assertStrictJson(String body) throws Exception {
        try (JsonParser p = STRICT.createParser(body)) {
            int tokens = 0;
            while (p.nextToken() != null) {
                tokens++;
            }
            assertThat(tokens).isPositive();
        }
    }

    @Test
    void panelQueryWithTheAliasSubWrapperKeepsTheRefId() throws Exception {
        HttpResponse<String> r = postForm("/render", "target=aliasSub(servers.*.cpu%2C%20%22(%5E.*%24)%22%2C%20%22"
                + "%5C1%20A%22)&target=aliasSub(servers.web01.load%2C%20'(%5E.*%24)'%2C%20'%5C1%20B')"
                + "&from=-6h&until=now&format=json&maxDataPoints=1234");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertStrictJson(r.body());
        JsonArray a = new JsonArray(r.body());
        List<String> names = new ArrayList<>();
        List<String> refIds = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String target = a.getJsonObject(i).getString("target");
            int sp = target.lastIndexOf(' ');
            names.add(target.substring(0, sp));
            refIds.add(target.substring(sp + 1));
            JsonArray points = a.getJsonObject(i).getJsonArray("datapoints");
            assertThat(points.size()).isBetween(300, 1234);
            assertThat(points.getJsonArray(0).getValue(1)).isInstanceOf(Number.class);
        }
        assertThat(names).containsExactly("servers.web01.cpu", "servers.web02.cpu", "servers.web01.load");
        assertThat(refIds).containsExactly("A", "A", "B");
    }

    @Test
    void serverSideQueryWithEpochSecondsAndMaxDataPoints() throws Exception {
        HttpResponse<String> r = postForm("/render", "target=servers.web02.cpu&from=" + (NOW - 3600) + "&until="
                + NOW + "&format=json&maxDataPoints=10");
        assertStrictJson(r.body());
        JsonArray points = new JsonArray(r.body()).getJsonObject(0).getJsonArray("datapoints");
        assertThat(points.size()).isLessThanOrEqualTo(10);
        assertThat(points.getJsonArray(0).getDouble(0)).isEqualTo(50.0);
    }

    @Test
    void dataSourceTestQuery() throws Exception {
        HttpResponse<String> r = postForm("/render", "target=constantLine(100)&from=-1h&until=now&format=json"
                + "&maxDataPoints=300");
        assertThat(r.statusCode()).isEqualTo(200);
        assertStrictJson(r.body());
        assertThat(new JsonArray(r.body()).getJsonObject(0).getJsonArray("datapoints").getJsonArray(0).getDouble(0))
                .isEqualTo(100.0);
    }

    @Test
    void metricTreeFindWithARawUnencodedBody() throws Exception {
        HttpResponse<String> r = postForm("/metrics/find?from=-6h&until=now", "query=servers.*");
        assertThat(r.statusCode()).isEqualTo(200);
        assertStrictJson(r.body());
        JsonArray a = new JsonArray(r.body());
        assertThat(a.stream().map(o -> ((JsonObject) o).getString("text"))).containsExactly("web01", "web02");
        assertThat(a.getJsonObject(0).getInteger("expandable")).isEqualTo(1);

        HttpResponse<String> braces = postForm("/metrics/find", "query=servers.{web01,web02}.*");
        assertThat(new JsonArray(braces.body()).stream().map(o -> ((JsonObject) o).getString("text")))
                .containsExactly("cpu", "load");
        HttpResponse<String> autocomplete = postForm("/metrics/find", "query=servers.*web0*");
        assertThat(new JsonArray(autocomplete.body())).hasSize(2);
    }

    @Test
    void tagEditorAutoCompleteWithLimit5000() throws Exception {
        HttpResponse<String> tags = get("/tags/autoComplete/tags?expr=name%3Ddisk.used&tagPrefix=&limit=5000"
                + "&from=-6h&until=now");
        assertThat(tags.statusCode()).isEqualTo(200);
        assertStrictJson(tags.body());
        assertThat(new JsonArray(tags.body()).getList()).contains("dc", "rack");
        HttpResponse<String> values = get("/tags/autoComplete/values?expr=name%3Ddisk.used&tag=dc&valuePrefix="
                + "&limit=5000");
        assertThat(new JsonArray(values.body()).getList()).containsExactly("dc1");
        HttpResponse<String> variable = get("/tags/autoComplete/tags?expr=name%3Ddisk.used&limit=10000");
        assertThat(variable.statusCode()).isEqualTo(200);
    }

    @Test
    void functionsIsStrictJson() throws Exception {
        HttpResponse<String> r = get("/functions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertStrictJson(r.body());
        try (JsonParser p = STRICT.createParser(r.body())) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        }
        JsonObject o = new JsonObject(r.body());
        assertThat(o.fieldNames()).contains("aliasSub", "sumSeries", "consolidateBy");
        assertThat(o.size()).isGreaterThan(100);
    }

    @Test
    void versionIsSemverAtLeast11() throws Exception {
        HttpResponse<String> r = get("/version");
        assertThat(r.statusCode()).isEqualTo(200);
        String[] parts = r.body().strip().split("\\.");
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(1001);
    }

    @Test
    void eventAnnotationsQuery() throws Exception {
        HttpResponse<String> r = get("/events/get_data?from=-6h&until=now&tags=deploy%20web");
        assertThat(r.statusCode()).isEqualTo(200);
        assertStrictJson(r.body());
        assertThat(new JsonArray(r.body())).isEmpty();
    }
}
