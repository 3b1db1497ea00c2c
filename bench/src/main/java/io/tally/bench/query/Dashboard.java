package io.tally.bench.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests one load of a Grafana-like dashboard makes, over the names {@code io.tally.bench.load.Workload}
 * generates ({@code app<k>.<region>.host<NNN>.<service>.<metric>[.<sub>]}).
 *
 * <p>Render panels: 10 targets, each over the last 6 hours and the last 7 days, POSTed to {@code /render} as a
 * form body with {@code format=json} and {@code maxDataPoints=1000}, as Grafana's Graphite data source does. With
 * 10,000 series (200 hosts) the wildcards {@code app*.*.*.api.*}, {@code app*.*.*.os.*.*} and
 * {@code app*.*.*.jvm.*} match 1,400, 1,400 and 1,200 series. Find requests: what Grafana's query editor asks
 * while someone browses the tree, plus two wildcard finds as template variables do.
 */
final class Dashboard {

    static final int MAX_DATA_POINTS = 1000;

    /** One request: a short name for the report, the path below the base URL, the form body or null for GET. */
    record Request(String kind, String name, String path, String body) {
    }

    private static final List<String> TARGETS = List.of(
            "sumSeries(app*.*.*.api.*)",
            "aliasByNode(sumSeries(app*.*.*.os.*.*), 4)",
            "groupByNode(app*.*.*.os.cpu.*, 1, 'sumSeries')",
            "aliasByNode(perSecond(app*.eu-west.*.api.requests), 0, 2)",
            "sumSeries(perSecond(app*.*.*.api.*))",
            "movingAverage(sumSeries(app*.*.*.jvm.*), '5min')",
            "summarize(sumSeries(app*.*.*.api.*), '1h', 'sum')",
            "aliasByNode(movingAverage(groupByNode(app*.*.*.os.*.*, 0, 'sumSeries'), '5min'), 0)",
            "summarize(groupByNode(perSecond(app*.*.*.os.net.*), 1, 'sumSeries'), '1h', 'sum')",
            "aliasByNode(summarize(perSecond(app1.*.*.api.requests), '1h', 'sum'), 1, 2)");

    private static final List<String> WINDOWS = List.of("-6h", "-7d");

    private static final List<String> FIND_QUERIES = List.of(
            "*",
            "app1.*",
            "app1.eu-west.*",
            "app1.eu-west.host000.*",
            "app1.eu-west.host000.api.*",
            "app1.eu-west.host000.api.latency.*",
            "app*.*.*.api.*",
            "app*.*.*");

    private Dashboard() {
    }

    /** The 20 render panels. */
    static List<Request> renders() {
        List<Request> out = new ArrayList<>();
        for (String window : WINDOWS) {
            for (int i = 0; i < TARGETS.size(); i++) {
                String body = "target=" + encode(TARGETS.get(i)) + "&from=" + encode(window) + "&until=now"
                        + "&format=json&maxDataPoints=" + MAX_DATA_POINTS;
                out.add(new Request("render", "p" + (i + 1) + window, "/render", body));
            }
        }
        return out;
    }

    /** The browsing requests ({@code /metrics/find}, GET, Graphite's default treejson format). */
    static List<Request> finds() {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < FIND_QUERIES.size(); i++) {
            out.add(new Request("find", "f" + (i + 1), "/metrics/find?query=" + encode(FIND_QUERIES.get(i)), null));
        }
        return out;
    }

    /** The panel's target expression, for the report. */
    static String target(String panelName) {
        int dash = panelName.indexOf('-');
        if (panelName.startsWith("p")) {
            return TARGETS.get(Integer.parseInt(panelName.substring(1, dash)) - 1);
        }
        return FIND_QUERIES.get(Integer.parseInt(panelName.substring(1)) - 1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
