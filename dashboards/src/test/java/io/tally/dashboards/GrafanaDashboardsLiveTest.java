package io.tally.dashboards;

import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends every dashboard's targets and variable queries to a real Tally the way Grafana 11.6+ does (spec §3.10:
 * POST /render with each target wrapped in aliasSub(…, "(^.*$)", "\1 <refId>"), format=json, maxDataPoints;
 * variable queries to /metrics/find or /tags/autoComplete/*) and expects 200 with JSON every time. The health
 * dashboard must also draw data from the self-metric series LiveTally wrote.
 */
class GrafanaDashboardsLiveTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TAG_VALUES = Pattern.compile("^tag_values\\(([^,]+)((, *[^,]+)*)\\)$");
    private static final Pattern TAGS = Pattern.compile("^tags\\(([^,]*)((, *[^,]+)*)\\)$");

    @TempDir
    static Path dir;
    private static LiveTally tally;

    @BeforeAll
    static void start() throws Exception {
        tally = LiveTally.start(dir, List.of(), true);
    }

    @AfterAll
    static void stop() throws Exception {
        tally.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.header("Accept", "application/json, text/plain, */*").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static DashboardLint lint(String file) throws Exception {
        return new DashboardLint(file, new JsonObject(Files.readString(Path.of("grafana", "dashboards", file))),
                "tally", FunctionRegistry.standard());
    }

    private static JsonArray render(String target) throws Exception {
        String body = "target=" + enc("aliasSub(" + target + ", \"(^.*$)\", \"\\1 A\")")
                + "&from=-6h&until=now&format=json&maxDataPoints=600";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(tally.base() + "/render"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(200);
        return new JsonArray(r.body());
    }

    @Test
    void everyPanelAndVariableTargetRendersOnARealTally() throws Exception {
        for (String file : List.of("tally-health.json", "tally-region-overview.json", "tally-cross-region.json")) {
            for (DashboardLint.Target t : lint(file).renderTargets()) {
                JsonArray series = render(t.text());
                for (int i = 0; i < series.size(); i++) {
                    assertThat(series.getJsonObject(i).getString("target")).as(t.where()).endsWith(" A");
                }
            }
        }
    }

    @Test
    void theHealthDashboardShowsTheSelfMetricsTallyWrote() throws Exception {
        int withData = 0;
        for (DashboardLint.Target t : lint("tally-health.json").renderTargets()) {
            if (!render(t.text()).isEmpty()) {
                withData++;
            }
        }
        assertThat(withData).isGreaterThanOrEqualTo(8);
        JsonArray ingest = render("aliasByNode(sumSeriesWithWildcards(perSecond(tally.agents.*.ingest.*.points), 2), 3)");
        assertThat(ingest.getJsonObject(0).getString("target")).isEqualTo("plaintext_tcp A");
    }

    @Test
    void theCrossRegionDashboardNamesEachRegionAndSumsThemAll() throws Exception {
        JsonArray perRegion = render("aliasByNode(sumSeriesWithWildcards(perSecond(regions.*.tally.agents.*.ingest.*.points), 4, 6), 1)");
        assertThat(perRegion.stream().map(s -> ((JsonObject) s).getString("target")))
                .containsExactly("eu-west A", "us-east A");
        JsonArray all = render("alias(sumSeries(perSecond(regions.*.tally.agents.*.ingest.*.points)), 'all regions')");
        assertThat(lastValue(all.getJsonObject(0))).isEqualTo(300.0);
        JsonArray cpu = render("aliasByNode(sumSeriesWithWildcards(regions.*.servers.*.cpu, 3), 1)");
        assertThat(cpu.stream().map(s -> lastValue((JsonObject) s))).containsExactly(5.0, 15.0);
    }

    private static Double lastValue(JsonObject series) {
        JsonArray points = series.getJsonArray("datapoints");
        for (int i = points.size() - 1; i >= 0; i--) {
            Object v = points.getJsonArray(i).getValue(0);
            if (v != null) {
                return ((Number) v).doubleValue();
            }
        }
        return null;
    }

    @Test
    void everyVariableQueryAnswersAsGrafanaReadsIt() throws Exception {
        for (String file : List.of("tally-health.json", "tally-region-overview.json", "tally-cross-region.json")) {
            DashboardLint lint = lint(file);
            for (JsonObject v : lint.variables()) {
                JsonObject q = v.getJsonObject("query");
                if (!"Default".equals(q.getString("queryType"))) {
                    continue;
                }
                String query = lint.wire(q.getString("target"));
                Matcher m;
                String path;
                if ((m = TAG_VALUES.matcher(query)).matches()) {
                    path = "/tags/autoComplete/values?tag=" + enc(m.group(1)) + "&limit=10000";
                } else if ((m = TAGS.matcher(query)).matches()) {
                    path = "/tags/autoComplete/tags?limit=10000" + (m.group(1).isEmpty() ? "" : "&expr=" + enc(m.group(1)));
                } else {
                    path = "/metrics/find?query=" + enc(query) + "&from=-6h&until=now";
                }
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(tally.base() + path)).GET());
                assertThat(r.statusCode()).as(file + " $" + v.getString("name") + " " + path).isEqualTo(200);
                assertThat(new JsonArray(r.body())).isNotNull();
            }
        }
        HttpResponse<String> hosts = send(HttpRequest.newBuilder(URI.create(tally.base()
                + "/metrics/find?query=tally.agents.*")).GET());
        assertThat(new JsonArray(hosts.body()).getJsonObject(0).getString("text")).isEqualTo(LiveTally.HOST);
    }
}
