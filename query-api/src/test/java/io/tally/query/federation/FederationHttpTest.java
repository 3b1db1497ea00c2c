package io.tally.query.federation;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.RenderRequest;
import io.tally.query.RenderResult;
import io.tally.query.Renderer;
import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three regions (eu, us, ap), each a real engine with its own data and an HTTP server with federation, on
 * loopback; peers reach each other through fault-injecting proxies. A fourth node (zz) has the wrong secret.
 */
class FederationHttpTest {
    static final long T = 1_699_999_980L; // a minute boundary
    static final String WINDOW = "&from=" + (T - 300) + "&until=" + T + "&now=" + T;
    static final String SECRET = "correct horse battery staple";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ManualClock clock;
    static RegionNode eu;
    static RegionNode us;
    static RegionNode ap;
    static RegionNode zz;

    @BeforeAll
    static void start() throws Exception {
        clock = new ManualClock(T);
        long[] times = {T - 240, T - 180, T - 120, T - 60, T};
        eu = new RegionNode("eu").data(dir.resolve("eu"), clock,
                Map.of("app.requests", 1.0, "app.errors", 0.5, "cpu;host=a", 10.0), times);
        us = new RegionNode("us").data(dir.resolve("us"), clock,
                Map.of("app.requests", 2.0, "cpu;host=a", 20.0, "only.us", 3.0), times);
        ap = new RegionNode("ap").data(dir.resolve("ap"), clock,
                Map.of("app.requests", 4.0, "cpu;host=a", 40.0), times);
        zz = new RegionNode("zz").data(dir.resolve("zz"), clock, Map.of("zz.local", 1.0), times);
        eu.start(settings("eu", SECRET, us, ap), clock, null);
        us.start(settings("us", SECRET, eu, ap), clock, null);
        ap.start(settings("ap", SECRET, eu, us), clock, null);
        zz.start(settings("zz", "not the secret", us), clock, null);
    }

    static Federation.Settings settings(String region, String secret, RegionNode... peers) {
        List<Federation.Peer> list = new ArrayList<>();
        for (RegionNode p : peers) {
            list.add(p.asPeer("http"));
        }
        return new Federation.Settings(region, "regions", list, secret, Duration.ofMillis(1500), false, 3,
                Duration.ofSeconds(30), Duration.ofSeconds(60), 16L << 20, null);
    }

    @AfterEach
    void heal() {
        for (RegionNode n : List.of(eu, us, ap)) {
            n.proxy.release();
        }
        clock.advanceSeconds(60); // any breaker opened by a test may probe again
    }

    @AfterAll
    static void stop() throws Exception {
        for (RegionNode n : new RegionNode[] {eu, us, ap, zz}) {
            if (n != null) {
                n.close();
            }
        }
    }

    static HttpResponse<String> get(RegionNode node, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.base("http") + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> render(RegionNode node, String target, String extra) throws Exception {
        return get(node, "/render?format=json&target=" + enc(target) + WINDOW + extra);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> targets(HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        for (Object o : new JsonArray(r.body())) {
            out.add(((JsonObject) o).getString("target"));
        }
        return out;
    }

    /** The values of the series named {@code target}. */
    static List<Object> values(HttpResponse<String> r, String target) {
        List<Object> out = new ArrayList<>();
        for (Object o : new JsonArray(r.body())) {
            JsonObject s = (JsonObject) o;
            if (s.getString("target").equals(target)) {
                for (Object p : s.getJsonArray("datapoints")) {
                    out.add(((JsonArray) p).getValue(0));
                }
            }
        }
        return out;
    }

    static List<String> findPaths(HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        for (Object o : new JsonArray(r.body())) {
            out.add(((JsonObject) o).getString("path"));
        }
        return out;
    }

    @Test
    void findListsTheRegionsUnderTheRoot() throws Exception {
        HttpResponse<String> top = get(eu, "/metrics/find?format=json&query=*");
        assertThat(findPaths(top)).containsExactly("_tagged", "app", "regions");
        HttpResponse<String> r = get(eu, "/metrics/find?format=json&query=regions.*");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(findPaths(r)).containsExactly("regions.ap", "regions.eu", "regions.us");
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).isEmpty();
    }

    @Test
    void findReachesIntoEveryRegion() throws Exception {
        HttpResponse<String> r = get(us, "/metrics/find?format=json&query=" + enc("regions.*.app.*"));
        assertThat(findPaths(r)).containsExactly("regions.ap.app.requests", "regions.eu.app.errors",
                "regions.eu.app.requests", "regions.us.app.requests");
        HttpResponse<String> braces = get(us, "/metrics/find?format=json&query=" + enc("regions.{eu,us}.*"));
        assertThat(findPaths(braces)).containsExactly("regions.eu._tagged", "regions.eu.app", "regions.us._tagged",
                "regions.us.app", "regions.us.only");
    }

    @Test
    void sumSeriesAddsTheRegions() throws Exception {
        HttpResponse<String> r = render(eu, "sumSeries(regions.*.app.requests)", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(values(r, "sumSeries(regions.*.app.requests)")).containsExactly(7.0, 7.0, 7.0, 7.0, 7.0);
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).isEmpty();
    }

    @Test
    void aliasByNodeNamesTheRegion() throws Exception {
        HttpResponse<String> r = render(ap, "aliasByNode(regions.*.app.requests, 1)", "");
        assertThat(targets(r)).containsExactly("ap", "eu", "us");
        assertThat(values(r, "us")).containsExactly(2.0, 2.0, 2.0, 2.0, 2.0);
    }

    @Test
    void localNamesStayPlain() throws Exception {
        HttpResponse<String> r = render(eu, "app.requests", "");
        assertThat(targets(r)).containsExactly("app.requests");
        assertThat(values(r, "app.requests")).containsExactly(1.0, 1.0, 1.0, 1.0, 1.0);
        HttpResponse<String> own = render(eu, "regions.eu.app.requests", "");
        assertThat(targets(own)).containsExactly("regions.eu.app.requests");
    }

    @Test
    void taggedSeriesCarryTheirRegion() throws Exception {
        HttpResponse<String> all = render(eu, "seriesByTag('region=~.*', 'name=cpu')", "");
        assertThat(targets(all)).containsExactly("cpu;host=a;region=ap", "cpu;host=a;region=eu",
                "cpu;host=a;region=us");
        HttpResponse<String> one = render(eu, "seriesByTag('region=us', 'name=cpu')", "");
        assertThat(targets(one)).containsExactly("cpu;host=a;region=us");
        assertThat(values(one, "cpu;host=a;region=us")).containsExactly(20.0, 20.0, 20.0, 20.0, 20.0);
        HttpResponse<String> byRegion = render(eu,
                "aliasByTags(sumSeries(seriesByTag('region=~(eu|ap)', 'name=cpu')), 'name')", "");
        assertThat(values(byRegion, "cpu")).containsExactly(50.0, 50.0, 50.0, 50.0, 50.0);
        HttpResponse<String> local = render(eu, "seriesByTag('name=cpu')", "");
        assertThat(targets(local)).containsExactly("cpu;host=a");
    }

    @Test
    void tagAutoCompleteKnowsTheRegionTag() throws Exception {
        HttpResponse<String> tags = get(eu, "/tags/autoComplete/tags?tagPrefix=re");
        assertThat(new JsonArray(tags.body()).getList()).containsExactly("region");
        HttpResponse<String> values = get(eu, "/tags/autoComplete/values?tag=region");
        assertThat(new JsonArray(values.body()).getList()).containsExactly("ap", "eu", "us");
    }

    @Test
    void aSlowPeerCostsAMarkedPartialAnswer() throws Exception {
        ap.proxy.mode(TcpProxy.Mode.STALL);
        HttpResponse<String> r = render(eu, "aliasByNode(regions.*.app.requests, 1)", "&cacheTimeout=60");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(targets(r)).containsExactly("eu", "us");
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).hasValue("ap=timeout");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(eu.metrics.count("federation.peer.ap.timeouts")).isPositive();
        assertThat(eu.metrics.count("federation.partial-answers")).isPositive();
    }

    @Test
    void aPeerDyingMidAnswerIsMissing() throws Exception {
        ap.proxy.mode(TcpProxy.Mode.CUT);
        HttpResponse<String> r = render(us, "sumSeries(regions.*.app.requests)", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(values(r, "sumSeries(regions.*.app.requests)")).containsExactly(3.0, 3.0, 3.0, 3.0, 3.0);
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).hasValue("ap=unreachable");
    }

    @Test
    void aDeadPeerIsMissingFromFind() throws Exception {
        ap.proxy.mode(TcpProxy.Mode.REFUSE);
        HttpResponse<String> r = get(eu, "/metrics/find?format=json&query=" + enc("regions.*.app.req*"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(findPaths(r)).containsExactly("regions.eu.app.requests", "regions.us.app.requests");
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).hasValue("ap=unreachable");
    }

    @Test
    void aWrongSecretIsRefusedAndMarked() throws Exception {
        long refusedBefore = us.metrics.count("federation.peer-requests.refused");
        HttpResponse<String> r = render(zz, "regions.*.app.requests", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(targets(r)).isEmpty();
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).hasValue("us=unauthorized");
        assertThat(us.metrics.count("federation.peer-requests.refused")).isGreaterThan(refusedBefore);
    }

    @Test
    void peerEndpointsRefuseUnsignedRequests() throws Exception {
        HttpResponse<String> r = get(us, "/federation/v1/find?query=*&limit=10");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("X-Tally-Peer-Auth");
    }

    @Test
    void peerAnswersAreGzipped() throws Exception {
        String query = "query=app.requests&from=" + (T - 300) + "&until=" + T + "&now=" + T + "&limit=10";
        PeerAuth auth = new PeerAuth(SECRET, clock);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create(us.base("http") + FederationEndpoints.FETCH + "?" + query))
                .header(PeerAuth.HEADER, auth.sign("eu", "GET", FederationEndpoints.FETCH, query))
                .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    }

    @Test
    void largeAnswersAreGzippedOnceAndDecode() throws Exception {
        io.tally.engine.api.PointBatch b = us.engine().newBatch();
        for (int i = 0; i < 100; i++) {
            for (long t = T - 240; t <= T; t += 60) {
                b.add("only.bulk.s" + i, t, 2.0);
            }
        }
        us.engine().offer(b);
        us.engine().barrier();
        String query = "query=only.bulk.*&from=" + (T - 300) + "&until=" + T + "&now=" + T + "&limit=1000";
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create(us.base("http") + FederationEndpoints.FETCH + "?" + query))
                .header(PeerAuth.HEADER, new PeerAuth(SECRET, clock).sign("eu", "GET", FederationEndpoints.FETCH,
                        query))
                .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
        assertThat(PeerWire.decodeFetch(plain)).hasSize(100);
        HttpResponse<String> sum = render(eu, "sumSeries(regions.us.only.bulk.*)", "");
        assertThat(values(sum, "sumSeries(regions.us.only.bulk.*)")).containsExactly(200.0, 200.0, 200.0, 200.0,
                200.0);
    }

    @Test
    void requireCompleteFailsWithTheMissingRegions() throws Exception {
        ap.proxy.mode(TcpProxy.Mode.REFUSE);
        HttpResponse<String> r = render(eu, "sumSeries(regions.*.app.requests)", "&requireComplete=1");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("ap (unreachable)").contains("requireComplete");
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).hasValue("ap=unreachable");
    }

    @Test
    void requireCompleteAnswers504WhenAPeerTimesOut() throws Exception {
        us.proxy.mode(TcpProxy.Mode.STALL);
        HttpResponse<String> r = render(ap, "regions.us.app.requests", "&requireComplete=1");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("us (timeout)");
    }

    @Test
    void closedWindowsAreServedFromTheCache() throws Exception {
        String window = "&from=" + (T - 300) + "&until=" + T + "&now=" + (T + 3600);
        String target = "sumSeries(regions.{eu,us}.app.requests)";
        HttpResponse<String> first = get(ap, "/render?format=json&target=" + enc(target) + window);
        assertThat(first.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).isEmpty();
        long hits = ap.metrics.count("federation.cache.hits");
        us.proxy.mode(TcpProxy.Mode.REFUSE);
        HttpResponse<String> second = get(ap, "/render?format=json&target=" + enc(target) + window);
        assertThat(second.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).isEmpty();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(ap.metrics.count("federation.cache.hits")).isGreaterThan(hits);
    }

    @Test
    void theCircuitBreakerSkipsAFailingPeerThenProbesIt() {
        Federation.Settings st = new Federation.Settings("eu", "regions", List.of(ap.asPeer("http")), SECRET,
                Duration.ofMillis(1500), false, 3, Duration.ofSeconds(30), Duration.ZERO, 0, null);
        try (Federation f = new Federation(st, eu.engine(), QueryLimits.defaults(), clock, new MetricsRegistry())) {
            ap.proxy.mode(TcpProxy.Mode.REFUSE);
            for (int i = 0; i < 3; i++) {
                Federation.Call c = f.call();
                c.fetch("regions.ap.app.requests", T - 300, T, T, 100);
                assertThat(c.missing()).containsEntry("ap", "unreachable");
            }
            assertThat(f.breakerState("ap")).isEqualTo(CircuitBreaker.State.OPEN);
            int connections = ap.proxy.accepted();
            Federation.Call skipped = f.call();
            assertThat(skipped.fetch("regions.*.app.requests", T - 300, T, T, 100)).extracting(SeriesData::name)
                    .containsExactly("regions.eu.app.requests");
            assertThat(skipped.missing()).containsEntry("ap", "circuit-open");
            assertThat(ap.proxy.accepted()).as("no connection while open").isEqualTo(connections);

            ap.proxy.release();
            clock.advanceSeconds(31);
            Federation.Call probe = f.call();
            assertThat(probe.fetch("regions.ap.app.requests", T - 300, T, T, 100)).hasSize(1);
            assertThat(probe.missing()).isEmpty();
            assertThat(f.breakerState("ap")).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void renderKeepsItsListAnswerAndHonoursRequireComplete() {
        Federation.Settings st = new Federation.Settings("eu", "regions", List.of(ap.asPeer("http")), SECRET,
                Duration.ofMillis(1500), true, 100, Duration.ofSeconds(30), Duration.ZERO, 0, null);
        try (Federation f = new Federation(st, eu.engine(), QueryLimits.defaults(), clock, new MetricsRegistry())) {
            Renderer renderer = new Renderer(eu.engine(), QueryLimits.defaults(), clock, FunctionRegistry.standard(),
                    f);
            RenderRequest rr = RenderRequest.of(List.of("regions.*.app.requests"), T - 300, T, T, 0, 0);
            assertThat(renderer.render(rr)).hasSize(2);
            ap.proxy.mode(TcpProxy.Mode.REFUSE);
            RenderResult partial = renderer.renderFull(rr);
            assertThat(partial.series()).hasSize(1);
            assertThat(partial.missingRegions()).containsEntry("ap", "unreachable");
            assertThatThrownBy(() -> renderer.render(rr)).isInstanceOf(IncompleteAnswerException.class)
                    .hasMessageContaining("ap (unreachable)");
        }
    }
}
