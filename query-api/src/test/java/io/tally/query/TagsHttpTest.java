package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The tags API over HTTP: one server without an API token, one with a token and a small find limit. */
class TagsHttpTest {
    private static final String TOKEN = "s3cret-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static Vertx vertx;
    private static FakeReader reader;
    private static String base;
    private static String secured;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        reader = new FakeReader();
        for (String name : List.of("disk.used;dc=us-east;host=h1;mount=root", "disk.used;dc=us-east;host=h2;mount=root",
                "disk.used;dc=eu-west;host=h3;mount=data", "cpu.load;dc=us-east;host=h1", "cpu.load;dc=eu-west;host=h3",
                "servers.web01.cpu", "servers.web02.cpu")) {
            reader.add(name, 0, 10, AggregationMethod.AVERAGE, 1);
        }
        for (int i = 0; i < 120; i++) {
            reader.add(String.format("many;i=%03d", i), 0, 10, AggregationMethod.AVERAGE, 1);
        }
        base = deploy(reader, QueryLimits.defaults(), "");
        secured = deploy(reader, new QueryLimits(100, 1_000_000, 3, Duration.ofSeconds(10), 2), TOKEN);
    }

    private static String deploy(FakeReader r, QueryLimits limits, String token) throws Exception {
        GraphiteHttpServer s = new GraphiteHttpServer(r, new ManualClock(1000), limits,
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "test", ZoneOffset.UTC, 1 << 20, token),
                new MetricsRegistry());
        vertx.deployVerticle(s).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + s.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String query) throws Exception {
        return get(base + path + (query.isEmpty() ? "" : "?" + query));
    }

    private static HttpResponse<String> post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Object json(HttpResponse<String> r) {
        return Json.decodeValue(r.body());
    }

    private static String error(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return new JsonObject(r.body()).getString("error");
    }

    // ---- routing ----

    @ParameterizedTest
    @ValueSource(strings = {"/tags/findSeries", "/tags/autoComplete/tags", "/tags/autoComplete/values"})
    void readRoutesAnswerGetAndPostWithAndWithoutTrailingSlash(String path) throws Exception {
        String q = "expr=" + enc("dc=us-east") + "&tag=host";
        for (String p : new String[]{path, path + "/"}) {
            HttpResponse<String> g = get(p, q);
            assertThat(g.statusCode()).as("GET " + p).isEqualTo(200);
            assertThat(g.headers().firstValue("Content-Type")).hasValue("application/json");
            HttpResponse<String> f = post(base + p, q);
            assertThat(f.statusCode()).as("POST " + p).isEqualTo(200);
            assertThat(f.body()).as("POST " + p).isEqualTo(g.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tags", "/tags/dc"})
    void listAndDetailsAnswerGetOnlyWithAndWithoutTrailingSlash(String path) throws Exception {
        for (String p : new String[]{path, path + "/"}) {
            assertThat(get(p, "").statusCode()).as("GET " + p).isEqualTo(200);
            HttpResponse<String> f = post(base + p, "");
            assertThat(f.statusCode()).as("POST " + p).isEqualTo(405);
            assertThat(error(f)).contains("use GET");
        }
    }

    // ---- findSeries ----

    @Test
    void findSeriesAndsRepeatedExpressionsInBothSpellingsSorted() throws Exception {
        assertThat(get("/tags/findSeries", "expr=" + enc("dc=us-east")).body()).isEqualTo("["
                + "\"cpu.load;dc=us-east;host=h1\", \"disk.used;dc=us-east;host=h1;mount=root\", "
                + "\"disk.used;dc=us-east;host=h2;mount=root\"]");
        assertThat(json(get("/tags/findSeries", "expr=" + enc("name=~disk") + "&expr=" + enc("host!=h2"))))
                .isEqualTo(new JsonArray(List.of("disk.used;dc=eu-west;host=h3;mount=data",
                        "disk.used;dc=us-east;host=h1;mount=root")));
        assertThat(json(get("/tags/findSeries", enc("expr[]") + "=" + enc("name=cpu.load") + "&" + enc("expr[]")
                + "=" + enc("dc=eu-west")))).isEqualTo(new JsonArray(List.of("cpu.load;dc=eu-west;host=h3")));
    }

    @Test
    void findSeriesWithNoMatchIsAnEmptyList() throws Exception {
        HttpResponse<String> r = get("/tags/findSeries", "expr=" + enc("dc=mars"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[]");
    }

    @Test
    void findSeriesWithoutExpressionsIs400Json() throws Exception {
        HttpResponse<String> r = get("/tags/findSeries", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).startsWith("no tag expressions specified");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "=x", "dc=~(unclosed", "dc=a;b"})
    void malformedExpressionsAre400Json(String expr) throws Exception {
        HttpResponse<String> r = get("/tags/findSeries", "expr=" + enc(expr));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains(expr);
    }

    @Test
    void expressionsThatAllMatchTheEmptyValueAre400() throws Exception {
        for (String path : List.of("/tags/findSeries", "/tags/autoComplete/tags")) {
            HttpResponse<String> r = get(path, "tag=dc&expr=" + enc("dc=") + "&expr=" + enc("host=~.*"));
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(error(r)).contains("at least one tag expression must require a non-empty value");
        }
    }

    @Test
    void tooManyMatchesIs422NamingTheSetting() throws Exception {
        HttpResponse<String> r = get(secured + "/tags/findSeries?expr=" + enc("i=~0"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(error(r)).contains("query.max-find-results");
    }

    @Test
    void storageFailureIs500JsonWithoutDetails() throws Exception {
        FakeReader broken = new FakeReader().add("a;b=c", 0, 10, AggregationMethod.AVERAGE, 1);
        broken.failing.add("tags");
        HttpResponse<String> r = get(deploy(broken, QueryLimits.defaults(), "") + "/tags/findSeries?expr=b%3Dc");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(error(r)).isEqualTo("Internal error (IllegalStateException); see the server log");
    }

    // ---- /tags and /tags/<tag> ----

    @Test
    void tagListIsSortedAndFilteredByAStartAnchoredRegex() throws Exception {
        assertThat(get("/tags", "").body()).isEqualTo("[{\"tag\": \"dc\"}, {\"tag\": \"host\"}, {\"tag\": \"i\"}, "
                + "{\"tag\": \"mount\"}, {\"tag\": \"name\"}]");
        assertThat(get("/tags", "filter=" + enc("[hm]")).body()).isEqualTo("[{\"tag\": \"host\"}, {\"tag\": \"mount\"}]");
        assertThat(get("/tags", "filter=ost").body()).isEqualTo("[]");
        assertThat(get("/tags", "limit=2").body()).isEqualTo("[{\"tag\": \"dc\"}, {\"tag\": \"host\"}]");
    }

    @Test
    void tagDetailsCountSeriesPerValue() throws Exception {
        assertThat(get("/tags/dc", "").body()).isEqualTo("{\"tag\": \"dc\", \"values\": ["
                + "{\"value\": \"eu-west\", \"count\": 2}, {\"value\": \"us-east\", \"count\": 3}]}");
        assertThat(get("/tags/host", "filter=" + enc("h[13]") + "&limit=1").body()).isEqualTo(
                "{\"tag\": \"host\", \"values\": [{\"value\": \"h1\", \"count\": 2}]}");
    }

    @Test
    void tagDetailsOfNameCountsPlainSeriesToo() throws Exception {
        JsonObject r = new JsonObject(get("/tags/name", "filter=" + enc("(cpu|disk|servers)")).body());
        assertThat(r.getJsonArray("values")).isEqualTo(new JsonArray(List.of(
                new JsonObject().put("value", "cpu.load").put("count", 2),
                new JsonObject().put("value", "disk.used").put("count", 3),
                new JsonObject().put("value", "servers.web01.cpu").put("count", 1),
                new JsonObject().put("value", "servers.web02.cpu").put("count", 1))));
    }

    @Test
    void unknownOrInvalidTagIsNull() throws Exception {
        for (String tag : List.of("nope", "a%3Db")) {
            HttpResponse<String> r = get("/tags/" + tag, "");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("null");
        }
    }

    @Test
    void prettyAndJsonp() throws Exception {
        assertThat(get("/tags/dc", "pretty=1&filter=eu").body()).isEqualTo("{\n  \"tag\": \"dc\",\n  \"values\": [\n"
                + "    {\n      \"count\": 2,\n      \"value\": \"eu-west\"\n    }\n  ]\n}");
        HttpResponse<String> r = get("/tags/autoComplete/values", "tag=dc&jsonp=cb");
        assertThat(r.body()).isEqualTo("cb([\"eu-west\", \"us-east\"])");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript");
    }

    // ---- auto-complete ----

    @Test
    void autoCompleteTagsByPrefixAndExpressions() throws Exception {
        assertThat(get("/tags/autoComplete/tags", "").body()).isEqualTo("[\"dc\", \"host\", \"i\", \"mount\", \"name\"]");
        assertThat(get("/tags/autoComplete/tags", "tagPrefix=h").body()).isEqualTo("[\"host\"]");
        assertThat(get("/tags/autoComplete/tags", "expr=" + enc("name=disk.used")).body())
                .isEqualTo("[\"dc\", \"host\", \"mount\"]");
        assertThat(get("/tags/autoComplete/tags", "expr=" + enc("dc=us-east") + "&limit=1").body())
                .isEqualTo("[\"host\"]");
    }

    @Test
    void autoCompleteValuesByPrefixAndExpressions() throws Exception {
        assertThat(get("/tags/autoComplete/values", "tag=host").body()).isEqualTo("[\"h1\", \"h2\", \"h3\"]");
        assertThat(get("/tags/autoComplete/values", "tag=dc&valuePrefix=eu").body()).isEqualTo("[\"eu-west\"]");
        assertThat(get("/tags/autoComplete/values", "tag=host&expr=" + enc("name=cpu.load")).body())
                .isEqualTo("[\"h1\", \"h3\"]");
    }

    @Test
    void autoCompleteLimitDefaultsTo100() throws Exception {
        assertThat(((JsonArray) json(get("/tags/autoComplete/values", "tag=i"))).size()).isEqualTo(100);
        assertThat(((JsonArray) json(get("/tags/autoComplete/values", "tag=i&limit=5000"))).size()).isEqualTo(120);
        assertThat(get("/tags/autoComplete/values", "tag=i&limit=0").body()).isEqualTo("[]");
    }

    @Test
    void autoCompleteValuesWithoutTagOrWithABadLimitIs400() throws Exception {
        HttpResponse<String> r = get("/tags/autoComplete/values", "valuePrefix=x");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("no tag specified");
        r = get("/tags/autoComplete/tags", "limit=lots");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("'limit'");
    }

    /** Grafana's tag editor: expr repeated per other tag of the query, limit=5000, the dashboard's from/until. */
    @Test
    void grafanaTagEditorRequests() throws Exception {
        String exprs = "expr=" + enc("name=disk.used") + "&expr=" + enc("dc=us-east");
        assertThat(get("/tags/autoComplete/tags", exprs + "&tagPrefix=&limit=5000&from=1700000000&until=1700003600")
                .body()).isEqualTo("[\"host\", \"mount\"]");
        assertThat(get("/tags/autoComplete/tags", exprs + "&tagPrefix=m&limit=5000&from=-6h&until=now").body())
                .isEqualTo("[\"mount\"]");
        assertThat(get("/tags/autoComplete/values", exprs + "&tag=host&valuePrefix=&limit=5000").body())
                .isEqualTo("[\"h1\", \"h2\"]");
        // variable queries tags(...) / tag_values(...)
        assertThat(get("/tags/autoComplete/values", "tag=dc&expr=" + enc("name=~.+") + "&limit=10000").body())
                .isEqualTo("[\"eu-west\", \"us-east\"]");
    }

    @Test
    void storageIsCalledOnlyFromTheWorkerPool() throws Exception {
        get("/tags", "");
        get("/tags/dc", "");
        get("/tags/findSeries", "expr=dc%3Dus-east");
        get("/tags/autoComplete/tags", "");
        get("/tags/autoComplete/values", "tag=dc");
        assertThat(reader.callerThreads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("tally-query"));
    }

    // ---- writes ----

    @ParameterizedTest
    @ValueSource(strings = {"/tags/tagSeries", "/tags/tagMultiSeries", "/tags/delSeries"})
    void writesWithoutAConfiguredTokenAre403(String path) throws Exception {
        HttpResponse<String> r = post(base + path, "path=a.b", "Authorization", "Bearer anything");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r)).contains("set api.token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tags/tagSeries", "/tags/tagMultiSeries", "/tags/delSeries"})
    void writesWithAMissingOrWrongTokenAre401(String path) throws Exception {
        HttpResponse<String> missing = post(secured + path, "path=a.b");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tally\"");
        assertThat(error(missing)).contains("missing API token");
        assertThat(post(secured + path, "path=a.b", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post(secured + path, "path=a.b&token=wrong").statusCode()).isEqualTo(401);
        assertThat(post(secured + path, "path=a.b", "Authorization", "Basic " + TOKEN).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tags/tagSeries", "/tags/tagMultiSeries", "/tags/delSeries"})
    void writesArePostOnly(String path) throws Exception {
        HttpResponse<String> r = get(secured + path + "?path=a.b&token=" + TOKEN);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(error(r)).contains("use POST");
    }

    @Test
    void tagSeriesReturnsTheCanonicalName() throws Exception {
        for (String p : List.of("/tags/tagSeries", "/tags/tagSeries/")) {
            HttpResponse<String> r = post(secured + p, "path=" + enc("disk.used;rack=a1;datacenter=dc1"),
                    "Authorization", "Bearer " + TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("\"disk.used;datacenter=dc1;rack=a1\"");
        }
        HttpResponse<String> byParam = post(secured + "/tags/tagSeries?token=" + TOKEN, "path=a..b");
        assertThat(byParam.body()).isEqualTo("\"a.b\"");
    }

    @Test
    void tagMultiSeriesReturnsCanonicalNamesInRequestOrder() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> r = post(secured + "/tags/tagMultiSeries", "path=" + enc("z;b=2;a=1") + "&path="
                + enc("a;x=1"), "Authorization", auth);
        assertThat(r.body()).isEqualTo("[\"z;a=1;b=2\", \"a;x=1\"]");
        r = post(secured + "/tags/tagMultiSeries", enc("path[]") + "=" + enc("m;t=1;s=2"), "Authorization", auth);
        assertThat(r.body()).isEqualTo("[\"m;s=2;t=1\"]");
    }

    @Test
    void invalidOrMissingPathsAre400() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> r = post(secured + "/tags/tagMultiSeries", "path=ok.name&path=" + enc("bad;tag"),
                "Authorization", auth);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("bad;tag");
        assertThat(error(post(secured + "/tags/tagSeries", "", "Authorization", auth))).isEqualTo("no path specified");
        assertThat(error(post(secured + "/tags/tagMultiSeries", "", "Authorization", auth)))
                .isEqualTo("no paths specified");
        assertThat(post(secured + "/tags/delSeries", "", "Authorization", auth).statusCode()).isEqualTo(400);
    }

    @Test
    void delSeriesIs501NamingTheLimitation() throws Exception {
        HttpResponse<String> r = post(secured + "/tags/delSeries", "path=" + enc("disk.used;dc=us-east;host=h1"),
                "Authorization", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(error(r)).contains("not supported").contains("delete");
        assertThat(json(get("/tags/findSeries", "expr=" + enc("host=h1")))).isEqualTo(new JsonArray(List.of(
                "cpu.load;dc=us-east;host=h1", "disk.used;dc=us-east;host=h1;mount=root")));
    }

    @Test
    void settingsNeverPrintTheToken() {
        GraphiteHttpServer.Settings s = new GraphiteHttpServer.Settings("h", 1, "r", ZoneOffset.UTC, 10, TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN).contains("apiToken=***");
        assertThat(new GraphiteHttpServer.Settings("h", 1, "r", ZoneOffset.UTC, 10).apiToken()).isEmpty();
    }
}
