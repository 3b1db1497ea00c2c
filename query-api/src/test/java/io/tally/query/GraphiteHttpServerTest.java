package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GraphiteHttpServerTest {
    private static final double N = Double.NaN;
    private static final long NOW = Conformance.T + 3217;
    private static Vertx vertx;
    private static FakeReader reader;
    private static GraphiteHttpServer server;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        reader = Conformance.reader()
                .add("test.values", 990, 10, AggregationMethod.AVERAGE,
                        1.5, N, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2, 0.1)
                .add("test.sparse", 990, 10, AggregationMethod.AVERAGE, N, 3, N)
                .add("test.sparse.child", 990, 10, AggregationMethod.SUM, 1)
                .add("disk.used;dc=dc1;rack=a1", 990, 10, AggregationMethod.AVERAGE, 7);
        reader.failing.add("test.broken");
        reader.add("test.broken", 990, 10, AggregationMethod.AVERAGE, 1);
        server = deploy(vertx, reader, QueryLimits.defaults());
        base = "http://127.0.0.1:" + server.actualPort();
    }

    static GraphiteHttpServer deploy(Vertx vx, FakeReader r, QueryLimits limits) throws Exception {
        GraphiteHttpServer s = new GraphiteHttpServer(r, new ManualClock(NOW), limits,
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "test-region", ZoneOffset.UTC, 1 << 20),
                new MetricsRegistry());
        vx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return s;
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- routes ----

    @ParameterizedTest
    @ValueSource(strings = {"/render", "/metrics/find", "/metrics", "/metrics/expand", "/metrics/index.json",
            "/version", "/health"})
    void everyRouteAnswersGetAndPostWithAndWithoutTrailingSlash(String path) throws Exception {
        String q = switch (path) {
            case "/render" -> "target=test.values&from=1000&until=1050&format=json";
            case "/version", "/health", "/metrics/index.json" -> "";
            default -> "query=test.*";
        };
        for (String p : new String[]{path, path + "/"}) {
            HttpResponse<String> g = get(p + "?" + q);
            assertThat(g.statusCode()).as("GET " + p).isEqualTo(200);
            HttpResponse<String> f = post(p, q);
            assertThat(f.statusCode()).as("POST " + p).isEqualTo(200);
            assertThat(f.body()).as("POST " + p).isEqualTo(g.body());
        }
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/render"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void versionIsGraphiteWebLikeText() throws Exception {
        HttpResponse<String> r = get("/version");
        assertThat(r.body()).isEqualTo("1.1.10");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    }

    @Test
    void healthReportsRegionAndStatus() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\": \"ok\", \"region\": \"test-region\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void healthIs503WhileDraining() throws Exception {
        Vertx vx = Vertx.vertx();
        try {
            GraphiteHttpServer s = deploy(vx, reader, QueryLimits.defaults());
            s.drain();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.actualPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("{\"status\": \"draining\", \"region\": \"test-region\"}");
        } finally {
            vx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void restartsOnTheSamePort() throws Exception {
        Vertx vx = Vertx.vertx();
        try {
            GraphiteHttpServer first = deploy(vx, reader, QueryLimits.defaults());
            int port = first.actualPort();
            vx.undeploy(first.deploymentID()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(first.actualPort()).isEqualTo(-1);
            GraphiteHttpServer second = new GraphiteHttpServer(reader, new ManualClock(NOW), QueryLimits.defaults(),
                    new GraphiteHttpServer.Settings("127.0.0.1", port, "r", ZoneOffset.UTC, 1024),
                    new MetricsRegistry());
            vx.deployVerticle(second).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(second.actualPort()).isEqualTo(port);
        } finally {
            vx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- render ----

    @Test
    void renderWritesGraphiteJsonExactly() throws Exception {
        HttpResponse<String> r = get("/render?target=test.values&from=989&until=1040&format=json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("[{\"target\": \"test.values\", \"tags\": {\"name\": \"test.values\"}, "
                + "\"datapoints\": [[1.5, 990], [null, 1000], [1e9999, 1010], [-1e9999, 1020], [2.0, 1030], "
                + "[0.1, 1040]]}]");
    }

    @Test
    void renderGlobsFetchLeavesOnlySortedByNameAndKeepsTargetOrder() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=989&until=1000&target=test.*s*&target=test.sparse.*");
        JsonArray a = new JsonArray(r.body());
        assertThat(a.stream().map(o -> ((JsonObject) o).getString("target")))
                .containsExactly("test.sparse", "test.values", "test.sparse.child");
    }

    @Test
    void renderOfAFailingSeriesIs500WithAShortMessage() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=989&until=1000&target=test.broken");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("Internal error (IllegalStateException); see the server log");
    }

    @Test
    void renderTaggedSeriesCarriesItsTags() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=989&until=1000&target="
                + enc("disk.used;dc=dc1;rack=a1"));
        assertThat(r.body()).isEqualTo("[{\"target\": \"disk.used;dc=dc1;rack=a1\", \"tags\": {\"dc\": \"dc1\", "
                + "\"name\": \"disk.used\", \"rack\": \"a1\"}, \"datapoints\": [[7.0, 990], [null, 1000]]}]");
    }

    @Test
    void renderNoNullPoints() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=989&until=1010&target=test.sparse&noNullPoints");
        assertThat(r.body()).isEqualTo(
                "[{\"target\": \"test.sparse\", \"tags\": {\"name\": \"test.sparse\"}, \"datapoints\": [[3.0, 1000]]}]");
    }

    @Test
    void renderJsonp() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=989&until=990&target=test.values&jsonp=cb");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript");
        assertThat(r.body()).startsWith("cb([{\"target\"").endsWith("}])");
        assertThat(get("/render?format=json&target=x&jsonp=alert(1)").statusCode()).isEqualTo(400);
    }

    @Test
    void renderWithNoTargetsOrNoMatchesIsAnEmptyList() throws Exception {
        assertThat(get("/render?format=json&from=989&until=1000").body()).isEqualTo("[]");
        assertThat(get("/render?format=json&from=989&until=1000&target=nothing.*").body()).isEqualTo("[]");
    }

    @Test
    void renderFromAfterUntilIsSwapped() throws Exception {
        assertThat(get("/render?format=json&from=1040&until=989&target=test.values").body())
                .isEqualTo(get("/render?format=json&from=989&until=1040&target=test.values").body());
    }

    @Test
    void renderDefaultsToTheLastDay() throws Exception {
        HttpResponse<String> r = get("/render?format=json&target=oracle.special.counter_reset");
        JsonArray dps = new JsonArray(r.body()).getJsonObject(0).getJsonArray("datapoints");
        assertThat(dps.size()).isEqualTo(86_400 / 10);
        // whisper's window (now - 1d, now]: the last slot starts at the step boundary at or before now
        assertThat(dps.getJsonArray(dps.size() - 1).getLong(1)).isEqualTo(NOW - NOW % 10);
    }

    /** graphite-web's recorded answer for maxDataPoints=77, through HTTP. */
    @Test
    void renderMaxDataPointsMatchesGraphiteWeb() throws Exception {
        JsonObject exp = Conformance.expected().getJsonObject("mdp_odd");
        HttpResponse<String> r = get(exp.getString("url"));
        JsonArray got = new JsonArray(r.body());
        JsonArray want = exp.getJsonArray("series");
        assertThat(got.size()).isEqualTo(want.size());
        JsonArray g = got.getJsonObject(0).getJsonArray("datapoints");
        JsonArray w = want.getJsonObject(0).getJsonArray("datapoints");
        assertThat(g.size()).isEqualTo(w.size());
        for (int i = 0; i < w.size(); i++) {
            assertThat(g.getJsonArray(i).getLong(1)).isEqualTo(w.getJsonArray(i).getLong(1));
            assertThat(g.getJsonArray(i).getDouble(0)).isCloseTo(w.getJsonArray(i).getDouble(0), within(1e-9));
        }
    }

    @Test
    void renderIgnoresNonNumericMaxDataPoints() throws Exception {
        assertThat(get("/render?format=json&from=989&until=1040&target=test.values&maxDataPoints=abc").body())
                .isEqualTo(get("/render?format=json&from=989&until=1040&target=test.values").body());
    }

    @Test
    void renderBadInputIs400WithAnEscapedTextMessage() throws Exception {
        HttpResponse<String> r = get("/render?format=json&from=garbage&target=test.values");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).isEqualTo("Invalid from: Unknown day reference: garbage");

        assertThat(get("/render?format=json&from=1000&until=1000&target=a").body())
                .isEqualTo("Invalid empty time range");
        assertThat(get("/render?format=json&target=" + enc("sumSeries(a.<b>")).body())
                .isEqualTo("Invalid target sumSeries(a.&lt;b&gt;: col 16: expected &#x27;,&#x27; or &#x27;)&#x27; "
                        + "to continue the arguments of sumSeries(), found end of input");
        HttpResponse<String> unknown = get("/render?format=json&target=" + enc("nope(test.values)"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("col 1: Received request for unknown function: nope");
        HttpResponse<String> badArg = get("/render?format=json&target=" + enc("scale(test.values, 'x')"));
        assertThat(badArg.statusCode()).isEqualTo(400);
        assertThat(badArg.body()).isEqualTo("col 20: scale(): parameter factor must be a number, got &#x27;x&#x27;");
        HttpResponse<String> pdf = get("/render?target=a&format=pdf");
        assertThat(pdf.statusCode()).isEqualTo(400);
        assertThat(pdf.body()).isEqualTo("format=pdf is not supported: Tally draws pictures as png or svg (use "
                + "format=json, csv, raw, pickle, msgpack, png or svg)");
        assertThat(get("/render?format=json&target=a&xFilesFactor=2").statusCode()).isEqualTo(400);
    }

    @Test
    void renderEvaluatesFunctions() throws Exception {
        JsonArray a = new JsonArray(get("/render?format=json&from=989&until=1040&target="
                + enc("alias(scale(test.values, 2), 'double')")).body());
        assertThat(a).hasSize(1);
        assertThat(a.getJsonObject(0).getString("target")).isEqualTo("double");
        assertThat(a.getJsonObject(0).getJsonObject("tags").getString("scale")).isEqualTo("2.0");
        assertThat(a.getJsonObject(0).getJsonArray("datapoints").getJsonArray(0).getDouble(0)).isEqualTo(3.0);
        JsonArray sum = new JsonArray(get("/render?format=json&from=989&until=1040&target="
                + enc("test.{sparse,values}|sumSeries()")).body());
        assertThat(sum.getJsonObject(0).getString("target")).isEqualTo("sumSeries(test.{sparse,values})");
    }

    @Test
    void renderTemplatesTakeRequestValues() throws Exception {
        JsonArray fromArgs = new JsonArray(get("/render?format=json&from=989&until=1040&target="
                + enc("template(test.$x, x='values')")).body());
        assertThat(fromArgs.getJsonObject(0).getString("target")).isEqualTo("test.values");
        JsonArray fromRequest = new JsonArray(get("/render?format=json&from=989&until=1040&target="
                + enc("template(test.$x, x='nothing')") + "&" + enc("template[x]") + "=sparse").body());
        assertThat(fromRequest.getJsonObject(0).getString("target")).isEqualTo("test.sparse");
    }

    @Test
    void functionsIndexIsStrictJsonInGraphiteShape() throws Exception {
        HttpResponse<String> r = get("/functions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).doesNotContain("Infinity").doesNotContain("NaN");
        JsonObject all = new JsonObject(r.body());
        assertThat(all.fieldNames()).contains("sumSeries", "sum", "aliasByNode", "movingAverage", "seriesByTag");
        JsonObject ma = all.getJsonObject("movingAverage");
        assertThat(ma.getString("function")).isEqualTo("movingAverage(seriesList, windowSize, xFilesFactor=None)");
        assertThat(ma.getString("group")).isEqualTo("Calculate");
        assertThat(ma.getString("module")).isEqualTo("graphite.render.functions");
        assertThat(ma.getJsonArray("params").getJsonObject(1).encode()).isEqualTo("{\"name\":\"windowSize\","
                + "\"type\":\"intOrInterval\",\"required\":true,\"suggestions\":[5,7,10,\"1min\",\"5min\","
                + "\"10min\",\"30min\",\"1hour\"]}");
        assertThat(r.body()).contains("\"default\": 1e9999");
        JsonObject grouped = new JsonObject(get("/functions?grouped=true&group=Alias").body());
        assertThat(grouped.fieldNames()).containsExactly("Alias");
        assertThat(grouped.getJsonObject("Alias").fieldNames()).contains("alias", "aliasSub").doesNotContain("sum");
    }

    @Test
    void oneFunctionOr404() throws Exception {
        JsonObject f = new JsonObject(get("/functions/scale").body());
        assertThat(f.getString("name")).isEqualTo("scale");
        HttpResponse<String> missing = get("/functions/nope/");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\": \"Function not found: nope\"}");
        assertThat(post("/functions", "").statusCode()).isEqualTo(405);
    }

    @Test
    void renderLimitsAre422AndNameTheSetting() throws Exception {
        Vertx vx = Vertx.vertx();
        try {
            GraphiteHttpServer s = deploy(vx, reader, new QueryLimits(2, 5, 100, Duration.ofSeconds(30), 2));
            String b = "http://127.0.0.1:" + s.actualPort();
            HttpResponse<String> series = HTTP.send(HttpRequest.newBuilder(
                    URI.create(b + "/render?format=json&from=989&until=1000&target=test.*")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(series.statusCode()).isEqualTo(422);
            assertThat(series.body()).isEqualTo(
                    "series matched by the targets exceeds the limit of 2 (raise it with query.max-series)");
            HttpResponse<String> points = HTTP.send(HttpRequest.newBuilder(
                    URI.create(b + "/render?format=json&from=989&until=1100&target=test.values")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(points.statusCode()).isEqualTo(422);
            assertThat(points.body()).contains("query.max-points");
        } finally {
            vx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void storageIsCalledFromTheWorkerPoolExceptForOneLevelFinds() throws Exception {
        reader.callerThreads.clear();
        get("/render?format=json&from=989&until=1000&target=" + enc("test.{sparse,values}"));
        get("/metrics/find?query=" + enc("test.*.*"));
        get("/metrics/index.json");
        assertThat(reader.callerThreads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("tally-query"));
        reader.callerThreads.clear();
        assertThat(get("/metrics/find?query=test.*").body()).contains("\"id\": \"test.values\"");
        assertThat(reader.callerThreads).isNotEmpty()
                .allSatisfy(t -> assertThat(t).startsWith("vert.x-eventloop"));
    }

    @Test
    void aOneLevelFindWithMoreMatchesThanTheEventLoopTakesMovesToTheWorkers() throws Exception {
        Vertx vx = Vertx.vertx();
        try {
            FakeReader wide = new FakeReader();
            int n = MetricsApi.INLINE_FIND_LIMIT + 100;
            for (int i = 0; i < n; i++) {
                wide.add("wide.n" + i, 990, 10, AggregationMethod.AVERAGE, 1);
            }
            GraphiteHttpServer s = deploy(vx, wide, QueryLimits.defaults());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + s.actualPort() + "/metrics/find?query=wide.*")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().split("\"leaf\": 1", -1)).hasSize(n + 1);
            assertThat(wide.callerThreads).anySatisfy(t -> assertThat(t).startsWith("vert.x-eventloop"))
                    .anySatisfy(t -> assertThat(t).startsWith("tally-query"));
        } finally {
            vx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- find ----

    private static HttpResponse<String> getAcceptingAnything(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Accept", "*/*").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void findDefaultsToTreeJson() throws Exception {
        HttpResponse<String> r = getAcceptingAnything("/metrics/find?query=test.*");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(r.body()).isEqualTo("["
                + "{\"text\": \"sparse\", \"id\": \"test.sparse\", \"allowChildren\": 1, \"expandable\": 1, \"leaf\": 0}, "
                + "{\"text\": \"broken\", \"id\": \"test.broken\", \"allowChildren\": 0, \"expandable\": 0, \"leaf\": 1}, "
                + "{\"text\": \"values\", \"id\": \"test.values\", \"allowChildren\": 0, \"expandable\": 0, \"leaf\": 1}]");
    }

    @Test
    void findAcceptJsonOrNoAcceptMeansAsciiAndPlainContentType() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics/find?query=test.*"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get("/metrics/find?query=test.*").headers().firstValue("Content-Type"))
                .hasValue("application/json");
    }

    @Test
    void grafanasUnencodedFindBodyIsParsedLeniently() throws Exception {
        HttpResponse<String> r = post("/metrics/find?from=-6h&until=now", "query=test.{sparse,values}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(r.body()).stream().map(o -> ((JsonObject) o).getString("id")))
                .containsExactly("test.sparse", "test.values");
        HttpResponse<String> odd = post("/metrics/find", "query=test.100%.x");
        assertThat(odd.statusCode()).isEqualTo(200);
        assertThat(odd.body()).isEqualTo("[]");
    }

    @Test
    void findMatchesTheConformanceShapes() throws Exception {
        // compare with shared/conformance/golden/find_hosts_completer.json and find_json_format.json
        HttpResponse<String> c = get("/metrics/find?format=completer&query=oracle.us-east.*");
        assertThat(new JsonObject(c.body())).isEqualTo(new JsonObject("{\"metrics\": ["
                + "{\"is_leaf\": \"0\", \"name\": \"host01\", \"path\": \"oracle.us-east.host01.\"}]}"));
        HttpResponse<String> j = get("/metrics/find?format=json&query=oracle.us-east.host01.api.*");
        assertThat(new JsonArray(j.body())).isEqualTo(new JsonArray("[{\"is_leaf\": true, \"intervals\": [], "
                + "\"path\": \"oracle.us-east.host01.api.cpu\"}]"));
    }

    @Test
    void findWithoutQueryIs400AndBadTimesAre400() throws Exception {
        HttpResponse<String> r = get("/metrics/find");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Missing required parameter &#x27;query&#x27;");
        assertThat(get("/metrics/find?query=a&from=nonsense").statusCode()).isEqualTo(400);
        assertThat(get("/metrics/find?query=a&from=-1&until=-1").statusCode()).isEqualTo(200);
    }

    @Test
    void findPrettyAndJsonp() throws Exception {
        assertThat(get("/metrics/find?query=test.values&pretty=1").body()).isEqualTo("""
                [
                  {
                    "text": "values",
                    "id": "test.values",
                    "allowChildren": 0,
                    "expandable": 0,
                    "leaf": 1
                  }
                ]""");
        HttpResponse<String> r = getAcceptingAnything("/metrics/find?query=nothing&jsonp=f");
        assertThat(r.body()).isEqualTo("f([])");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
    }

    @Test
    void expandAndIndex() throws Exception {
        assertThat(get("/metrics/expand?query=test.sparse*&leavesOnly=1").body())
                .isEqualTo("{\"results\": [\"test.sparse\"]}");
        assertThat(get("/metrics/expand?query=test.s*&query=test.v*&groupByExpr=1").body())
                .isEqualTo("{\"results\": {\"test.s*\": [\"test.sparse\"], \"test.v*\": [\"test.values\"]}}");
        JsonArray index = new JsonArray(get("/metrics/index.json").body());
        assertThat(index).contains("test.sparse", "test.sparse.child", "oracle.special.counter_reset",
                "disk.used;dc=dc1;rack=a1");
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        HttpResponse<String> r = post("/render", "target=" + "a".repeat(2 << 20));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void connectionsAreSpreadOverSeveralEventLoopsOnOnePort() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(GraphiteHttpServer.acceptorLoops() > 1,
                "one core: a single event loop");
        Vertx vx = Vertx.vertx();
        try {
            HttpExtension thread = (router, host) -> router.get("/thread")
                    .handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
            GraphiteHttpServer s = new GraphiteHttpServer(new FakeReader(), new ManualClock(NOW), QueryLimits.defaults(),
                    new GraphiteHttpServer.Settings("127.0.0.1", 0, "r", ZoneOffset.UTC, 1 << 20),
                    new MetricsRegistry(), java.util.List.of(thread));
            vx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            java.util.Set<String> loops = new java.util.HashSet<>();
            for (int i = 0; i < 8; i++) {
                HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + s.actualPort() + "/thread")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                loops.add(r.body());
                fresh.close();
            }
            assertThat(loops).hasSizeGreaterThan(1).allSatisfy(t -> assertThat(t).startsWith("vert.x-eventloop"));
        } finally {
            vx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
