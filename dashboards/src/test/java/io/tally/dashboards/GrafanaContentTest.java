package io.tally.dashboards;

import io.tally.engine.index.GlobPattern;
import io.tally.query.expr.Expr;
import io.tally.query.expr.Parser;
import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana content in dashboards/grafana: every dashboard's targets parse with Tally's parser and use only
 * functions Tally implements, the provisioning files are well-formed and name the data source uid the dashboards
 * use, and the health dashboard reads Tally's real self-metric names.
 */
class GrafanaContentTest {
    private static final Path GRAFANA = Path.of("grafana");
    private static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    private static final Path DATASOURCE = GRAFANA.resolve("provisioning/datasources/tally.yaml");
    private static final Path PROVIDER = GRAFANA.resolve("provisioning/dashboards/tally.yaml");
    private static final Path ENV = GRAFANA.resolve("provisioning/grafana-server.env");

    /**
     * The self-metric names Tally reports (after tally.agents.host.): MetricsRegistry counters and gauges of ingest
     * (IngestCounters, PlaintextParser, PickleDecoder per protocol), the engine, the HTTP server, and the reporter's
     * own jvm.heap_used_bytes and uptime_seconds.
     */
    private static final List<String> SELF_METRICS = selfMetrics();

    private static List<String> selfMetrics() {
        List<String> names = new ArrayList<>();
        for (String protocol : List.of("plaintext_tcp", "plaintext_udp", "pickle_tcp")) {
            for (String c : List.of("points", "bytes", "connections", "connections_rejected", "idle_closed",
                    "nan_dropped", "paused", "frames")) {
                names.add("ingest." + protocol + "." + c);
            }
            for (String reason : List.of("fields", "value", "timestamp", "too_long", "name", "tags", "utf8", "empty",
                    "unterminated")) {
                names.add("ingest." + protocol + ".bad_lines." + reason);
            }
        }
        names.add("ingest.pickle_tcp.bad_frames.oversized");
        names.add("ingest.pickle_tcp.bad_elements.value");
        for (String s : List.of("checkpoints", "corrupt_blocks", "points_dropped.shutting_down",
                "points_dropped.too_far_future", "points_dropped.too_old", "points_written", "series_created",
                "series_lookup_fallbacks", "wal_syncs", "backlog_bytes", "block_cache_hit_rate", "head_chunks",
                "head_bytes", "checkpoints_early",
                "segment_bytes", "segments", "series", "wal_bytes")) {
            names.add("storage." + s);
        }
        for (String h : List.of("errors.4xx", "errors.5xx", "events.requests", "find.requests", "render.cache-hits",
                "render.requests", "render.series", "tags.requests")) {
            names.add("http." + h);
        }
        for (String kind : List.of("render", "find")) {
            for (String f : List.of("count", "p50", "p99", "max")) {
                names.add("http." + kind + ".latency_ms." + f);
            }
        }
        for (String a : List.of("evaluations", "evaluation-errors", "transitions", "notifications.sent",
                "notifications.failed", "notifications.retries", "events.dropped", "instances", "round-millis",
                "scheduler_lag_ms", "round_ms.count", "round_ms.p50", "round_ms.p99", "round_ms.max",
                "instances.ok", "instances.warning", "instances.critical", "instances.unknown")) {
            names.add("alerting." + a);
        }
        names.add("jvm.heap_used_bytes");
        names.add("uptime_seconds");
        return List.copyOf(names);
    }

    static Stream<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    private static JsonObject read(Path p) throws IOException {
        return new JsonObject(Files.readString(p));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path p) throws IOException {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(p));
        assertThat(doc).as(p.toString()).isInstanceOf(Map.class);
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataSource() throws IOException {
        Map<String, Object> doc = yaml(DATASOURCE);
        assertThat(doc.get("apiVersion")).isEqualTo(1);
        List<Map<String, Object>> sources = (List<Map<String, Object>>) doc.get("datasources");
        assertThat(sources).hasSize(1);
        return sources.getFirst();
    }

    private static String dataSourceUid() throws IOException {
        return (String) dataSource().get("uid");
    }

    @Test
    void thereAreTheHealthRegionAndCrossRegionDashboards() throws IOException {
        assertThat(dashboardFiles().map(p -> p.getFileName().toString()))
                .containsExactly("tally-cross-region.json", "tally-health.json", "tally-region-overview.json");
    }

    @ParameterizedTest
    @MethodSource("dashboardFiles")
    void everyTargetParsesAndUsesOnlyFunctionsTallySupports(Path file) throws IOException {
        DashboardLint lint = new DashboardLint(file.getFileName().toString(), read(file), dataSourceUid(),
                FunctionRegistry.standard());
        assertThat(lint.problems()).isEmpty();
        assertThat(lint.renderTargets()).hasSizeGreaterThan(5);
    }

    @ParameterizedTest
    @MethodSource("dashboardFiles")
    void uidsAndPanelIdsAreUniqueAndEveryPanelHasAPlace(Path file) throws IOException {
        JsonObject d = read(file);
        assertThat(d.getString("uid")).isEqualTo(file.getFileName().toString().replace(".json", ""));
        assertThat(d.getString("title")).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        JsonArray top = d.getJsonArray("panels");
        List<JsonObject> all = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            all.add(top.getJsonObject(i));
            top.getJsonObject(i).getJsonArray("panels", new JsonArray()).forEach(p -> all.add((JsonObject) p));
        }
        for (JsonObject p : all) {
            assertThat(ids.add(p.getInteger("id"))).as("panel id " + p.getInteger("id")).isTrue();
            JsonObject grid = p.getJsonObject("gridPos");
            assertThat(grid.getInteger("x") + grid.getInteger("w")).as(p.getString("title")).isLessThanOrEqualTo(24);
        }
    }

    @Test
    void dataSourceIsGraphite11WithTheFunctionIndexAndAnEnvironmentUrlDefaultingToLocalhost() throws IOException {
        Map<String, Object> ds = dataSource();
        assertThat(ds).containsEntry("type", "graphite").containsEntry("uid", "tally").containsEntry("access", "proxy")
                .containsEntry("url", "${TALLY_URL}");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) ds.get("jsonData");
        // Grafana calls /functions (and the tag API) only when graphiteVersion >= 1.1
        assertThat(json).containsEntry("graphiteVersion", "1.1").containsEntry("graphiteType", "default");
        assertThat(Files.readAllLines(ENV)).contains("TALLY_URL=http://localhost:8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardProviderReadsFilesIntoTheTallyFolder() throws IOException {
        Map<String, Object> doc = yaml(PROVIDER);
        assertThat(doc.get("apiVersion")).isEqualTo(1);
        List<Map<String, Object>> providers = (List<Map<String, Object>>) doc.get("providers");
        assertThat(providers).hasSize(1);
        assertThat(providers.getFirst()).containsEntry("type", "file").containsEntry("folder", "Tally");
        assertThat((Map<String, Object>) providers.getFirst().get("options")).containsKey("path");
    }

    @ParameterizedTest
    @MethodSource("dashboardFiles")
    void everyDashboardUsesTheProvisionedDataSource(Path file) throws IOException {
        String uid = dataSourceUid();
        List<String> problems = new DashboardLint(file.getFileName().toString(), read(file), uid,
                FunctionRegistry.standard()).problems();
        assertThat(problems).noneMatch(p -> p.contains("data source"));
        assertThat(Files.readString(file)).contains("\"uid\": \"" + uid + "\"");
    }

    @Test
    void theHealthDashboardReadsRealSelfMetricNames() throws IOException {
        DashboardLint lint = new DashboardLint("tally-health.json", read(DASHBOARDS.resolve("tally-health.json")),
                "tally", FunctionRegistry.standard());
        List<String> paths = new ArrayList<>();
        for (DashboardLint.Target t : lint.renderTargets()) {
            collectPaths(Parser.parse(t.text()), paths);
        }
        assertThat(paths).isNotEmpty();
        for (String path : paths) {
            assertThat(path).startsWith("tally.agents.*.");
            String rest = path.substring("tally.agents.*.".length());
            assertThat(SELF_METRICS).as(path + " names a self-metric Tally reports").anyMatch(n -> globMatches(rest, n));
        }
        assertThat(paths).anyMatch(p -> p.contains("alerting.round_ms"));
    }

    private static void collectPaths(Expr e, List<String> out) {
        switch (e) {
            case Expr.Path p -> out.add(p.text());
            case Expr.Call c -> c.args().forEach(a -> collectPaths(a, out));
            default -> {
            }
        }
    }

    /** Node-by-node glob match with Tally's own GlobPattern (the globs here have no dots inside braces). */
    private static boolean globMatches(String glob, String name) {
        String[] g = glob.split("\\.");
        String[] n = name.split("\\.");
        if (g.length != n.length) {
            return false;
        }
        for (int i = 0; i < g.length; i++) {
            if (!GlobPattern.compile(g[i]).matches(n[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- the lint itself: it must catch what Grafana would send and Tally would refuse

    private static JsonObject dashboard(JsonArray panels, JsonArray variables) {
        return new JsonObject().put("uid", "t").put("panels", panels)
                .put("templating", new JsonObject().put("list", variables));
    }

    private static JsonObject panel(String title, String... targets) {
        JsonArray ts = new JsonArray();
        for (int i = 0; i < targets.length; i++) {
            ts.add(new JsonObject().put("refId", String.valueOf((char) ('A' + i))).put("target", targets[i]));
        }
        return new JsonObject().put("type", "timeseries").put("title", title).put("targets", ts)
                .put("datasource", new JsonObject().put("type", "graphite").put("uid", "tally"));
    }

    private static JsonObject variable(String name, String queryType, String query, Object current) {
        return new JsonObject().put("type", "query").put("name", name)
                .put("datasource", new JsonObject().put("type", "graphite").put("uid", "tally"))
                .put("query", new JsonObject().put("queryType", queryType).put("target", query))
                .put("current", new JsonObject().put("value", current));
    }

    private static List<String> lint(JsonObject d) {
        return new DashboardLint("test.json", d, "tally", FunctionRegistry.standard()).problems();
    }

    @Test
    void anUnsupportedFunctionInACollapsedRowFails() {
        JsonObject row = new JsonObject().put("type", "row").put("title", "hidden").put("collapsed", true)
                .put("panels", new JsonArray().add(panel("deep", "aliasByNode(frobnicateSeries(servers.*.cpu), 1)")));
        List<String> problems = lint(dashboard(new JsonArray().add(panel("ok", "sumSeries(servers.*.cpu)")).add(row),
                new JsonArray()));
        assertThat(problems).singleElement().asString()
                .contains("panel 'deep' A").contains("function frobnicateSeries is not supported by Tally");
    }

    @Test
    void anUnsupportedFunctionInAMetricNameVariableFails() {
        List<String> problems = lint(dashboard(new JsonArray(), new JsonArray()
                .add(variable("top", "Metric Name", "aliasByNode(pieAverage(servers.*.cpu), 1)", "web01"))));
        assertThat(problems).singleElement().asString()
                .contains("variable $top").contains("function pieAverage is not supported");
    }

    @Test
    void aTargetThatDoesNotParseFails() {
        assertThat(lint(dashboard(new JsonArray().add(panel("bad", "sumSeries(servers.*.cpu")), new JsonArray())))
                .singleElement().asString().contains("does not parse");
    }

    @Test
    void variablesAreSubstitutedReferencesExpandedAndMinutesRewrittenAsGrafanaDoes() {
        JsonObject d = dashboard(new JsonArray().add(
                panel("p", "movingAverage(servers.$server.${metric}, '5m')", "scale(#A, 2)", "[[metric]]")),
                new JsonArray().add(variable("server", "Default", "servers.*", new JsonArray().add("a").add("b")))
                        .add(variable("metric", "Default", "servers.$server.*", "cpu")));
        DashboardLint lint = new DashboardLint("test.json", d, "tally", FunctionRegistry.standard());
        assertThat(lint.renderTargets()).extracting(DashboardLint.Target::text).containsExactly(
                "movingAverage(servers.{a,b}.cpu, '5min')", "scale(movingAverage(servers.{a,b}.cpu, '5min'), 2)", "cpu");
        assertThat(lint.problems()).isEmpty();
    }

    @Test
    void findAndTagVariableQueriesAreCheckedForTheirOwnSyntax() {
        JsonArray vars = new JsonArray()
                .add(variable("a", "Default", "sumSeries(servers.*)", "x"))
                .add(variable("b", "Default", "tag_values(dc, name=~disk, bad)", "x"))
                .add(variable("c", "Default", "tags()", "dc"))
                .add(variable("d", "Default", "servers.*", "$__all").put("allValue", "*"));
        assertThat(lint(dashboard(new JsonArray(), vars))).hasSize(2)
                .anyMatch(p -> p.contains("$a") && p.contains("must be a path glob"))
                .anyMatch(p -> p.contains("$b") && p.contains("bad"));
    }

    @Test
    void anUnknownVariableOrAnotherDataSourceFails() {
        JsonObject p = panel("p", "servers.$nope.cpu");
        p.put("datasource", new JsonObject().put("type", "prometheus").put("uid", "prom"));
        assertThat(lint(dashboard(new JsonArray().add(p), new JsonArray()))).hasSize(2)
                .anyMatch(m -> m.contains("$nope"))
                .anyMatch(m -> m.contains("data source"));
    }
}
