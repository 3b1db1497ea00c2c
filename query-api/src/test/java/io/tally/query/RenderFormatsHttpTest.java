package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** /render formats, the render cache headers and find's cluster formats over HTTP. */
class RenderFormatsHttpTest {
    private static final double N = Double.NaN;
    private static final long NOW = 2000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Vertx vertx;
    private static FakeReader reader;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        reader = new FakeReader()
                .add("a.b", 990, 10, AggregationMethod.AVERAGE, 1.5, N, 3)
                .add("a.c.d", 990, 10, AggregationMethod.SUM, 1);
        GraphiteHttpServer s = new GraphiteHttpServer(reader, new ManualClock(NOW), QueryLimits.defaults(),
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "r", ZoneOffset.UTC, 1 << 20, "", null, 0,
                        1 << 20), new MetricsRegistry());
        vertx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + s.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<byte[]> get(String q) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + q)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void rawAndCsvOverHttp() throws Exception {
        HttpResponse<byte[]> raw = get("/render?target=a.b&from=989&until=1020&format=raw");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(text(raw)).isEqualTo("a.b,990,1030,10|1.5,None,3.0,None\n");
        assertThat(text(get("/render?target=a.b&from=989&until=1020&rawData=1"))).isEqualTo(text(raw));
        HttpResponse<byte[]> csv = get("/render?target=a.b&from=989&until=1020&format=csv");
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv");
        assertThat(text(csv)).startsWith("a.b,1970-01-01 00:16:30,1.5\r\na.b,1970-01-01 00:16:40,\r\n");
    }

    @Test
    void pickleOverHttpDecodesInPython() throws Exception {
        HttpResponse<byte[]> r = get("/render?target=a.b&from=989&until=1020&format=pickle");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pickle");
        assertThat(Python.unpickleToJson(r.body())).contains("\"name\": \"a.b\"")
                .contains("\"values\": [1.5, null, 3.0, null]").contains("\"pathExpression\": \"a.b\"");
    }

    @Test
    void pdfIsRefusedClearly() throws Exception {
        HttpResponse<byte[]> r = get("/render?target=a.b&format=pdf");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("format=pdf is not supported");
    }

    @Test
    void cachedAnswersSayMaxAgeAndAreServedWithoutStorage() throws Exception {
        String q = "/render?target=a.c.d&from=989&until=1020&format=json&cacheTimeout=30";
        HttpResponse<byte[]> first = get(q);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=30");
        // storage changes; the cached answer does not, until noCache asks storage again
        reader.series.put("a.c.d", new FakeReader.Series(990, 10, new double[]{7}, AggregationMethod.SUM));
        HttpResponse<byte[]> second = get(q);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Cache-Control")).hasValue("max-age=30");
        HttpResponse<byte[]> bypass = get(q + "&noCache=1");
        assertThat(bypass.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(text(bypass)).contains("[7.0, 990]");
        assertThat(text(first)).contains("[1.0, 990]");
    }

    @Test
    void uncachedAnswersSayNoCache() throws Exception {
        HttpResponse<byte[]> r = get("/render?target=a.b&from=989&until=1020&format=json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void findClusterFormats() throws Exception {
        HttpResponse<byte[]> pickle = get("/metrics/find?query=a.*&format=pickle");
        assertThat(pickle.headers().firstValue("Content-Type")).hasValue("application/pickle");
        assertThat(Python.unpickleToJson(pickle.body())).isEqualTo("[{\"intervals\": [], \"is_leaf\": true, "
                + "\"path\": \"a.b\"}, {\"is_leaf\": false, \"path\": \"a.c\"}]");
        HttpResponse<byte[]> msgpack = get("/metrics/find?query=a.*&format=msgpack");
        assertThat(msgpack.headers().firstValue("Content-Type")).hasValue("application/x-msgpack");
        assertThat(msgpack.body()[0] & 0xff).isEqualTo(0x92);
        assertThat(text(get("/metrics/find?query=a.*&format=nodelist&position=1")))
                .isEqualTo("{\"nodes\": [\"b\", \"c\"]}");
    }
}
