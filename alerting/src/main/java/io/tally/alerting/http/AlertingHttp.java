package io.tally.alerting.http;

import io.tally.alerting.Ack;
import io.tally.alerting.AlertDefinition;
import io.tally.alerting.AlertEngine;
import io.tally.alerting.AlertingService;
import io.tally.alerting.DefinitionException;
import io.tally.alerting.Durations;
import io.tally.alerting.Evaluation;
import io.tally.alerting.Instance;
import io.tally.alerting.JsonMaps;
import io.tally.alerting.NagiosFormat;
import io.tally.alerting.Report;
import io.tally.alerting.Silence;
import io.tally.alerting.Snapshot;
import io.tally.alerting.State;
import io.tally.alerting.Transition;
import io.tally.query.HttpExtension;
import io.tally.query.HttpHost;
import io.tally.query.TimeSpec;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.PatternSyntaxException;

/**
 * The alerting routes (spec 4.5) on Tally's Vert.x server: the Nagios endpoints under {@code /alerting/nagios/} and
 * the JSON API under {@code /alerting/api/v1/}.
 *
 * <p>Nagios endpoints only read published state ({@link AlertEngine#report}: a volatile read and a few map
 * lookups), so they answer on the event loop; everything that evaluates, serialises many instances or writes the
 * state file runs on the host's worker pool. Every Nagios answer has a status in {200, 429, 500, 503}, a sanitised
 * reason phrase, {@code Cache-Control: no-store} and the {@code X-Tally-*} headers; HEAD gets the same status and
 * headers without a body. Write calls need the API token ({@link HttpHost#authorize}).
 */
public final class AlertingHttp implements HttpExtension {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingHttp.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";
    private static final int MAX_BODY = 1 << 20;
    private static final long MAX_SILENCE_MILLIS = 90L * 86_400_000;

    private final AlertingService service;
    private final AlertEngine engine;
    private HttpHost host;

    public AlertingHttp(AlertingService service) {
        this.service = service;
        this.engine = service.engine();
    }

    @Override
    public void mount(Router r, HttpHost host) {
        this.host = host;
        // transitions become Graphite events too, so Grafana's Graphite annotations (tags: alerts) draw them
        service.recordTransitionsAsEvents((t) -> {
            Event e = event(t);
            host.recordEvent(e.when(), e.what(), e.data(), e.tags());
        });
        read(r, "/alerting/nagios/self", this::nagiosSelf);
        read(r, "/alerting/nagios/region/:region", this::nagiosRegion);
        read(r, "/alerting/nagios/:alert/:region", this::nagiosInstance);
        read(r, "/alerting/nagios/:alert", this::nagiosAlert);
        // any other path under /alerting/nagios/ is UNKNOWN, not a 404 that check_http would read as WARNING
        r.route("/alerting/nagios/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx ->
                nagiosProblem(ctx, NagiosOptions.of(ctx), ctx.request().path(), "no such endpoint"));
        read(r, "/alerting/api/v1/alerts", this::list);
        read(r, "/alerting/api/v1/alerts/:alert", this::getAlert);
        write(r, HttpMethod.PUT, "/alerting/api/v1/alerts/:alert", this::putAlert);
        write(r, HttpMethod.DELETE, "/alerting/api/v1/alerts/:alert", this::deleteAlert);
        write(r, HttpMethod.POST, "/alerting/api/v1/alerts/:alert/test", this::test);
        read(r, "/alerting/api/v1/alerts/:alert/instances/:region", this::getInstance);
        read(r, "/alerting/api/v1/alerts/:alert/instances/:region/history", this::history);
        write(r, HttpMethod.POST, "/alerting/api/v1/alerts/:alert/instances/:region/ack", this::ack);
        write(r, HttpMethod.POST, "/alerting/api/v1/reload", this::reload);
        read(r, "/alerting/api/v1/silences", this::listSilences);
        write(r, HttpMethod.POST, "/alerting/api/v1/silences", this::addSilence);
        write(r, HttpMethod.DELETE, "/alerting/api/v1/silences/:id", this::deleteSilence);
    }

    private static void read(Router r, String path, Handler<RoutingContext> h) {
        for (String p : List.of(path, path + "/")) {
            r.route(p).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(h);
        }
    }

    private static void write(Router r, HttpMethod m, String path, Handler<RoutingContext> h) {
        for (String p : List.of(path, path + "/")) {
            r.route(p).method(m).handler(h);
        }
    }

    // ---- Nagios ----

    /** The query parameters of {@code /alerting/nagios/*}; null fields mean "bad value" (reported as UNKNOWN). */
    private record NagiosOptions(boolean always200, State unknownAs, boolean pendingAsWarning, boolean range,
                                 String bad) {

        static NagiosOptions of(RoutingContext ctx) {
            String codes = param(ctx, "codes", "check_http");
            String unknownAs = param(ctx, "unknown_as", "critical");
            String pendingAs = param(ctx, "pending_as", "previous");
            String perf = param(ctx, "perf", "plain");
            String bad = null;
            if (!codes.equals("check_http") && !codes.equals("always200")) {
                bad = "codes must be check_http or always200";
            }
            State ua = switch (unknownAs) {
                case "critical" -> State.CRITICAL;
                case "warning" -> State.WARNING;
                case "ok" -> State.OK;
                default -> null;
            };
            if (ua == null) {
                bad = "unknown_as must be critical, warning or ok";
                ua = State.CRITICAL;
            }
            if (!pendingAs.equals("previous") && !pendingAs.equals("warning")) {
                bad = "pending_as must be previous or warning";
            }
            if (!perf.equals("plain") && !perf.equals("range")) {
                bad = "perf must be plain or range";
            }
            return new NagiosOptions(codes.equals("always200"), ua, pendingAs.equals("warning"),
                    perf.equals("range"), bad);
        }
    }

    private void nagiosInstance(RoutingContext ctx) {
        NagiosOptions o = NagiosOptions.of(ctx);
        Report r = engine.report(ctx.pathParam("alert"), ctx.pathParam("region"), o.pendingAsWarning());
        if (o.bad() != null) {
            nagiosProblem(ctx, o, r.alert() + "[" + r.region() + "]", o.bad());
            return;
        }
        String body = NagiosFormat.body(r, r.state(), o.range());
        Snapshot s = r.snapshot();
        nagios(ctx, o, r.state(), NagiosFormat.reason(r, r.state()), body, r.modified() ? r.realState() : null,
                s == null ? 0 : s.evaluatedAt());
    }

    /** All regions of one alert: the worst reported state wins; one long-output line and perfdata label each. */
    private void nagiosAlert(RoutingContext ctx) {
        NagiosOptions o = NagiosOptions.of(ctx);
        String alert = ctx.pathParam("alert");
        AlertEngine.Entry e = engine.definition(alert);
        if (o.bad() != null || e == null) {
            nagiosProblem(ctx, o, alert, o.bad() != null ? o.bad() : "no such alert");
            return;
        }
        List<Report> reports = new ArrayList<>();
        long now = engine.clock().currentTimeMillis();
        for (String region : engine.regions()) {
            Instance i = engine.instance(alert, region);
            if (i != null) {
                reports.add(engine.reportAt(i, now, o.pendingAsWarning()));
            }
        }
        reports.sort(Comparator.comparing(Report::region));
        if (reports.isEmpty()) {
            nagiosProblem(ctx, o, alert, "no instance of this alert is evaluated here");
            return;
        }
        State worst = State.OK;
        Report worstReport = reports.get(0);
        int notOk = 0;
        long evaluated = 0;
        List<String> lines = new ArrayList<>();
        StringBuilder perf = new StringBuilder();
        AlertDefinition.Condition c = e.definition().condition();
        for (Report r : reports) {
            if (r.state().severity() > worst.severity()) {
                worst = r.state();
                worstReport = r;
            }
            if (r.state() != State.OK) {
                notOk++;
            }
            if (r.snapshot() != null) {
                evaluated = Math.max(evaluated, r.snapshot().evaluatedAt());
            }
            lines.add(NagiosFormat.body(r, r.state(), o.range()).lines().findFirst().orElse("")
                    .replace(" | ", " ; ")); // long output lines carry no perfdata of their own here
            if (!perf.isEmpty()) {
                perf.append(' ');
            }
            perf.append(NagiosFormat.label(r.region())).append('=')
                    .append(NagiosFormat.number(r.snapshot() == null ? Double.NaN : r.snapshot().value())).append(';')
                    .append(NagiosFormat.threshold(c, false, o.range())).append(';')
                    .append(NagiosFormat.threshold(c, true, o.range()))
                    .append(";;");
        }
        String head = alert + " " + notOk + " of " + reports.size() + " regions not OK"
                + (worst == State.OK ? "" : " (worst " + NagiosFormat.reason(worstReport, worst) + ")");
        String reason = NagiosFormat.clean(worst + " " + alert + " " + notOk + "/" + reports.size() + " regions not OK"
                + (worst == State.OK ? "" : ", worst " + worstReport.region()), NagiosFormat.MAX_REASON);
        nagios(ctx, o, worst, reason, NagiosFormat.aggregateBody(worst, head, lines, perf.toString()), null, evaluated);
    }

    /** The region rollup: worst state over the matching instances; perfdata counts. */
    private void nagiosRegion(RoutingContext ctx) {
        NagiosOptions o = NagiosOptions.of(ctx);
        String region = ctx.pathParam("region");
        String group = ctx.queryParams().get("group");
        List<String> labels = ctx.queryParams().getAll("label");
        if (o.bad() != null) {
            nagiosProblem(ctx, o, "region " + region, o.bad());
            return;
        }
        int[] counts = new int[4];
        State worst = State.OK;
        long evaluated = 0;
        List<String> lines = new ArrayList<>();
        long now = engine.clock().currentTimeMillis();
        List<Instance> matching = new ArrayList<>();
        for (Instance i : engine.instances()) {
            if (i.region().equals(region) && matches(i.definition(), region, group, labels)) {
                matching.add(i);
            }
        }
        matching.sort(Comparator.comparing(Instance::alert));
        for (Instance i : matching) {
            Report r = engine.reportAt(i, now, o.pendingAsWarning());
            counts[r.state().ordinal()]++;
            worst = State.worst(worst, r.state());
            if (r.state() != State.OK) {
                lines.add(NagiosFormat.body(r, r.state(), false).lines().findFirst().orElse("")
                        .replace(" | ", " ; "));
            }
            if (r.snapshot() != null) {
                evaluated = Math.max(evaluated, r.snapshot().evaluatedAt());
            }
        }
        if (matching.isEmpty()) {
            nagiosProblem(ctx, o, "region " + region, "no alert instances match");
            return;
        }
        String head = "region " + region + " " + matching.size() + " alerts: " + counts[2] + " critical, " + counts[1]
                + " warning, " + counts[3] + " unknown, " + counts[0] + " ok";
        String perf = "ok=" + counts[0] + ";;;0; warning=" + counts[1] + ";;;0; critical=" + counts[2]
                + ";;;0; unknown=" + counts[3] + ";;;0;";
        nagios(ctx, o, worst, NagiosFormat.clean(worst + " " + head, NagiosFormat.MAX_REASON),
                NagiosFormat.aggregateBody(worst, head, lines, perf), null, evaluated);
    }

    /** The evaluator's own health: scheduler lag, overdue instances, failing evaluations, the state file. */
    private void nagiosSelf(RoutingContext ctx) {
        NagiosOptions o = NagiosOptions.of(ctx);
        if (o.bad() != null) {
            nagiosProblem(ctx, o, "self", o.bad());
            return;
        }
        AlertEngine.Health h = engine.health();
        State state = State.OK;
        List<String> problems = new ArrayList<>();
        if (h.instances() > 0 && (h.lagMillis() < 0 || h.lagMillis() > 180_000)) {
            state = State.CRITICAL;
            problems.add(h.lagMillis() < 0 ? "no evaluation round has run" : "scheduler stalled for "
                    + h.lagMillis() / 1000 + "s");
        }
        if (h.overdue() > 0) {
            state = State.worst(state, State.WARNING);
            problems.add(h.overdue() + " instances overdue");
        }
        if (h.failingInstances() > 0) {
            state = State.worst(state, State.WARNING);
            problems.add(h.failingInstances() + " instances failing to evaluate");
        }
        if (h.storeProblem() != null) {
            state = State.worst(state, State.WARNING);
            problems.add("state file: " + h.storeProblem());
        }
        if (service.lastReloadError() != null) {
            state = State.worst(state, State.WARNING);
            problems.add("definitions not reloaded: " + service.lastReloadError());
        }
        String head = "tally alerting " + (problems.isEmpty() ? h.instances() + " instances evaluated on schedule"
                : String.join(", ", problems));
        String perf = "lag=" + Math.max(0, h.lagMillis()) + "ms;;;0; round=" + h.roundMillis() + "ms;;;0; instances="
                + h.instances() + ";;;0; overdue=" + h.overdue() + ";;;0; failing=" + h.failingInstances() + ";;;0;";
        nagios(ctx, o, state, NagiosFormat.clean(state + " " + head, NagiosFormat.MAX_REASON),
                NagiosFormat.aggregateBody(state, head, List.of(), perf), null, h.lastRoundEnd());
    }

    private void nagiosProblem(RoutingContext ctx, NagiosOptions o, String who, String problem) {
        String text = NagiosFormat.clean(who, 120) + " " + problem;
        nagios(ctx, o, State.UNKNOWN, NagiosFormat.clean("UNKNOWN " + text, NagiosFormat.MAX_REASON),
                "UNKNOWN: " + NagiosFormat.clean(text, 300) + "\n", null, 0);
    }

    /** Status (spec 4.5 table, or 200 with X-Nagios-* under always200), reason phrase, headers, body. */
    private void nagios(RoutingContext ctx, NagiosOptions o, State state, String reason, String body, State real,
                        long evaluatedAt) {
        HttpServerResponse resp = ctx.response();
        int status;
        if (o.always200()) {
            status = 200;
            resp.putHeader("X-Nagios-State", state.name()).putHeader("X-Nagios-Exit-Code",
                    Integer.toString(state.exitCode()));
        } else {
            State mapped = state == State.UNKNOWN ? o.unknownAs() : state;
            status = switch (mapped) {
                case OK -> 200;
                case WARNING -> 429;
                case CRITICAL -> state == State.UNKNOWN ? 500 : 503;
                case UNKNOWN -> 500;
            };
        }
        resp.setStatusCode(status).setStatusMessage(reason)
                .putHeader("Content-Type", TEXT).putHeader("Cache-Control", "no-store")
                .putHeader("X-Tally-State", state.name())
                .putHeader("X-Tally-Evaluated-At", evaluatedAt > 0 ? Instant.ofEpochMilli(evaluatedAt).toString() : "never");
        if (real != null) {
            resp.putHeader("X-Tally-Real-State", real.name());
        }
        resp.end(body);
    }

    // ---- JSON API: reading ----

    private void list(RoutingContext ctx) {
        String region = ctx.queryParams().get("region");
        String state = ctx.queryParams().get("state");
        String group = ctx.queryParams().get("group");
        List<String> labels = ctx.queryParams().getAll("label");
        boolean pending = "warning".equals(ctx.queryParams().get("pending_as"));
        blocking(ctx, () -> {
            long now = engine.clock().currentTimeMillis();
            List<AlertEngine.Entry> entries = new ArrayList<>(engine.definitions());
            entries.sort(Comparator.comparing(e -> e.definition().id()));
            JsonArray out = new JsonArray();
            for (AlertEngine.Entry e : entries) {
                AlertDefinition d = e.definition();
                if (!matches(d, region, group, labels)) {
                    continue;
                }
                JsonArray inst = new JsonArray();
                for (String r : engine.regions()) {
                    Instance i = engine.instance(d.id(), r);
                    if (i == null || (region != null && !region.equals(r))) {
                        continue;
                    }
                    Report rep = engine.reportAt(i, now, pending);
                    if (state != null && !rep.state().name().equalsIgnoreCase(state)) {
                        continue;
                    }
                    inst.add(instanceJson(rep));
                }
                if (state != null && inst.isEmpty()) {
                    continue;
                }
                out.add(definitionJson(e).put("instances", inst));
            }
            return new JsonObject().put("alerts", out);
        });
    }

    private static boolean matches(AlertDefinition d, String region, String group, List<String> labels) {
        if (region != null && !d.coversRegion(region)) {
            return false;
        }
        if (group != null && !group.equals(d.group())) {
            return false;
        }
        for (String l : labels) {
            int colon = l.indexOf(':');
            String k = colon < 0 ? l : l.substring(0, colon);
            String v = colon < 0 ? null : l.substring(colon + 1);
            String have = d.labels().get(k);
            if (have == null || (v != null && !v.equals(have))) {
                return false;
            }
        }
        return true;
    }

    private void getAlert(RoutingContext ctx) {
        AlertEngine.Entry e = engine.definition(ctx.pathParam("alert"));
        if (e == null) {
            json(ctx, 404, error("no such alert"));
            return;
        }
        JsonArray inst = new JsonArray();
        long now = engine.clock().currentTimeMillis();
        for (String r : engine.regions()) {
            Instance i = engine.instance(e.definition().id(), r);
            if (i != null) {
                inst.add(instanceJson(engine.reportAt(i, now, false)));
            }
        }
        json(ctx, 200, definitionJson(e).put("instances", inst));
    }

    private void getInstance(RoutingContext ctx) {
        Instance i = engine.instance(ctx.pathParam("alert"), ctx.pathParam("region"));
        if (i == null) {
            json(ctx, 404, error("no such alert instance"));
            return;
        }
        json(ctx, 200, instanceJson(engine.reportAt(i, engine.clock().currentTimeMillis(), false)));
    }

    private void history(RoutingContext ctx) {
        Instance i = engine.instance(ctx.pathParam("alert"), ctx.pathParam("region"));
        if (i == null) {
            json(ctx, 404, error("no such alert instance"));
            return;
        }
        long nowS = engine.clock().nowSeconds();
        long from;
        long until;
        try {
            from = time(ctx.queryParams().get("from"), 0, nowS);
            until = time(ctx.queryParams().get("until"), nowS, nowS);
        } catch (IllegalArgumentException e) {
            json(ctx, 400, error(e.getMessage()));
            return;
        }
        boolean events = "events".equals(ctx.queryParams().get("format"));
        List<Transition> ts = i.history(from * 1000, until * 1000 + 999);
        if (events) {
            // Graphite events (what, when, data, tags), as Tattle's alerts_json.php and graphite-web's /events
            JsonArray out = new JsonArray();
            int id = 0;
            for (Transition t : ts) {
                Event e = event(t);
                out.add(new JsonObject().put("id", ++id).put("when", e.when()).put("what", e.what())
                        .put("data", e.data()).put("tags", new JsonArray(e.tags())));
            }
            json(ctx, 200, out);
            return;
        }
        JsonArray out = new JsonArray();
        for (Transition t : ts) {
            out.add(new JsonObject().put("alert", t.alert()).put("region", t.region()).put("series", t.series())
                    .put("from", t.from().name()).put("to", t.to().name()).put("value", num(t.value()))
                    .put("warn", num(t.warn())).put("crit", num(t.crit())).put("reason", t.reason())
                    .put("time", iso(t.atMillis())));
        }
        json(ctx, 200, new JsonObject().put("transitions", out));
    }

    /** A transition as a Graphite event. */
    record Event(long when, String what, String data, List<String> tags) {
    }

    static Event event(Transition t) {
        return new Event(t.atMillis() / 1000, t.alert() + "[" + t.region() + "] " + t.from() + " -> " + t.to(),
                t.to() + " : " + NagiosFormat.number(t.value()) + (t.series() == null ? "" : " " + t.series())
                        + (t.reason().isEmpty() ? "" : " (" + t.reason() + ")"),
                List.of("alerts", t.alert(), t.region(), t.to().name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** Epoch seconds, or a Graphite time spec ({@code -1d}, {@code now}); {@code dflt} when absent. */
    private static long time(String v, long dflt, long now) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return TimeSpec.parse(v, now, ZoneOffset.UTC);
    }

    private void listSilences(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (Silence s : engine.silences()) {
            out.add(silenceJson(s));
        }
        json(ctx, 200, new JsonObject().put("silences", out));
    }

    // ---- JSON API: writing ----

    private void putAlert(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        String id = ctx.pathParam("alert");
        withBody(ctx, body -> {
            JsonObject j;
            try {
                j = new JsonObject(body);
            } catch (DecodeException | ClassCastException e) {
                json(ctx, 400, error("the body must be a JSON object: " + e.getMessage()));
                return;
            }
            Object bodyId = j.getValue("id");
            if (bodyId == null) {
                j.put("id", id);
            } else if (!id.equals(bodyId)) {
                json(ctx, 400, error("id in the body ('" + NagiosFormat.clean(String.valueOf(bodyId), 64)
                        + "') differs from the path").put("field", "id"));
                return;
            }
            blocking(ctx, () -> {
                AlertDefinition d;
                try {
                    d = service.parser().parseAlert(JsonMaps.plain(j.getMap()), "api", "");
                    service.checkRefs(d);
                    engine.putApiDefinition(d, j.encode());
                } catch (DefinitionException e) {
                    return new Answer(400, error(e.getMessage()).put("field", e.field()));
                }
                return new Answer(200, definitionJson(engine.definition(d.id())));
            });
        });
    }

    private void deleteAlert(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        String id = ctx.pathParam("alert");
        blocking(ctx, () -> {
            AlertEngine.Entry e = engine.definition(id);
            if (e == null) {
                return new Answer(404, error("no such alert"));
            }
            if (e.apiJson() == null) {
                return new Answer(400, error("alert '" + id + "' is defined in " + e.definition().source()
                        + "; remove it there and reload"));
            }
            engine.deleteApiDefinition(id);
            return new Answer(200, new JsonObject().put("deleted", id));
        });
    }

    private void reload(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        blocking(ctx, () -> {
            try {
                int n = service.reload();
                return new Answer(200, new JsonObject().put("definitions", n));
            } catch (DefinitionException e) {
                return new Answer(400, error(e.getMessage()).put("file", e.source()).put("field", e.field()));
            }
        });
    }

    /** Dry run: the body's definition (or the stored one) for {@code ?region=} (default: this node's region). */
    private void test(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        String id = ctx.pathParam("alert");
        String region = param(ctx, "region", engine.region());
        withBody(ctx, body -> blocking(ctx, () -> {
            AlertDefinition d;
            if (body.isBlank()) {
                AlertEngine.Entry e = engine.definition(id);
                if (e == null) {
                    return new Answer(404, error("no such alert, and no definition in the body"));
                }
                d = e.definition();
            } else {
                try {
                    JsonObject j = new JsonObject(body);
                    if (j.getValue("id") == null) {
                        j.put("id", id);
                    }
                    d = service.parser().parseAlert(JsonMaps.plain(j.getMap()), "api", "");
                } catch (DecodeException | ClassCastException e) {
                    return new Answer(400, error("the body must be a JSON object: " + e.getMessage()));
                } catch (DefinitionException e) {
                    return new Answer(400, error(e.getMessage()).put("field", e.field()));
                }
            }
            Evaluation ev = engine.test(d, region);
            JsonArray per = new JsonArray();
            for (Evaluation.SeriesValue v : ev.perSeries()) {
                per.add(new JsonObject().put("series", v.name()).put("value", num(v.value()))
                        .put("points", v.points()).put("level", v.level().name()));
            }
            return new Answer(200, new JsonObject().put("alert", d.id()).put("region", region)
                    .put("target", d.targetFor(region)).put("window", Durations.format(d.windowSeconds()))
                    .put("offset", Durations.format(d.offsetSeconds())).put("decision", ev.kind().name())
                    .put("value", num(ev.value())).put("points", ev.points()).put("series", ev.series())
                    .put("deciding_series", ev.seriesName()).put("detail", ev.detail())
                    .put("missing_regions", new JsonObject(new java.util.LinkedHashMap<>(ev.missingRegions())))
                    .put("per_series", per));
        }));
    }

    private void addSilence(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        withBody(ctx, body -> {
            Silence s;
            try {
                JsonObject j = new JsonObject(body);
                List<Silence.Matcher> ms = matchers(j.getValue("matchers"));
                long now = engine.clock().currentTimeMillis();
                long starts = j.getValue("starts_at") == null ? now : instant(j.getValue("starts_at"), "starts_at");
                long ends;
                if (j.getValue("ends_at") != null) {
                    ends = instant(j.getValue("ends_at"), "ends_at");
                } else if (j.getValue("duration") != null) {
                    ends = starts + Durations.parseSeconds(String.valueOf(j.getValue("duration"))) * 1000;
                } else {
                    throw new IllegalArgumentException("ends_at (or duration) is required: a silence always ends");
                }
                if (ends <= starts || ends <= now) {
                    throw new IllegalArgumentException("ends_at must be after starts_at and in the future");
                }
                if (ends - starts > MAX_SILENCE_MILLIS) {
                    throw new IllegalArgumentException("a silence may last at most 90 days");
                }
                String by = text(j, "created_by");
                String comment = text(j, "comment");
                String effect = j.getString("effect", "report_ok");
                Silence.Effect eff = switch (effect) {
                    case "report_ok" -> Silence.Effect.REPORT_OK;
                    case "annotate" -> Silence.Effect.ANNOTATE;
                    default -> throw new IllegalArgumentException("effect must be report_ok or annotate");
                };
                s = new Silence("", ms, starts, ends, by, comment, eff);
            } catch (DecodeException | ClassCastException e) {
                json(ctx, 400, error("the body must be a JSON object: " + e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                json(ctx, 400, error(e.getMessage()));
                return;
            }
            blocking(ctx, () -> {
                try {
                    return new Answer(200, silenceJson(engine.addSilence(s.matchers(), s.startsAt(), s.endsAt(),
                            s.createdBy(), s.comment(), s.effect())));
                } catch (IllegalArgumentException e) {
                    return new Answer(400, error(e.getMessage()));
                }
            });
        });
    }

    private void deleteSilence(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        blocking(ctx, () -> engine.removeSilence(id) ? new Answer(200, new JsonObject().put("deleted", id))
                : new Answer(404, error("no such silence")));
    }

    private void ack(RoutingContext ctx) {
        if (!host.authorize(ctx)) {
            return;
        }
        String alert = ctx.pathParam("alert");
        String region = ctx.pathParam("region");
        withBody(ctx, body -> {
            String by;
            String comment;
            long expires;
            try {
                JsonObject j = body.isBlank() ? new JsonObject() : new JsonObject(body);
                by = text(j, "by");
                comment = j.getValue("comment") == null ? "" : text(j, "comment");
                long seconds = Durations.parseSeconds(String.valueOf(j.getValue("expires", "20m")));
                if (seconds < 1 || seconds > 30 * 86_400) {
                    throw new IllegalArgumentException("expires must be between 1s and 30d");
                }
                expires = engine.clock().currentTimeMillis() + seconds * 1000;
            } catch (DecodeException | ClassCastException e) {
                json(ctx, 400, error("the body must be a JSON object: " + e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                json(ctx, 400, error(e.getMessage()));
                return;
            }
            blocking(ctx, () -> {
                Ack a = engine.ack(alert, region, by, comment, expires);
                if (a == null) {
                    return new Answer(404, error("no such alert instance"));
                }
                return new Answer(200, ackJson(a));
            });
        });
    }

    private static List<Silence.Matcher> matchers(Object raw) {
        if (!(raw instanceof JsonArray a) || a.isEmpty() || a.size() > 32) {
            throw new IllegalArgumentException("matchers must be a list of 1 to 32 matchers");
        }
        List<Silence.Matcher> out = new ArrayList<>();
        for (Object o : a) {
            String name;
            String op;
            String value;
            if (o instanceof JsonObject m) {
                name = m.getString("name");
                op = m.getString("op", "=");
                value = m.getString("value");
            } else if (o instanceof String s) {
                int i = 0;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                name = s.substring(0, i);
                String rest = s.substring(i);
                op = rest.startsWith("=~") ? "=~" : rest.startsWith("!~") ? "!~" : rest.startsWith("!=") ? "!="
                        : rest.startsWith("=") ? "=" : "";
                value = rest.substring(op.length());
            } else {
                throw new IllegalArgumentException("a matcher is {name, op, value} or \"name=value\"");
            }
            if (name == null || name.isEmpty() || name.length() > 64 || value == null || value.length() > 256) {
                throw new IllegalArgumentException("a matcher needs a name (at most 64 characters) and a value "
                        + "(at most 256)");
            }
            try {
                out.add(Silence.Matcher.of(name, op, value));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression in matcher " + name + ": "
                        + e.getDescription());
            }
        }
        return out;
    }

    private static long instant(Object v, String field) {
        if (v instanceof Number n) {
            return n.longValue() * 1000;
        }
        try {
            return Instant.parse(String.valueOf(v)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be ISO-8601 or epoch seconds");
        }
    }

    private static String text(JsonObject j, String field) {
        Object v = j.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (s.length() > 500 || !NagiosFormat.clean(s, 500).equals(s)) {
            throw new IllegalArgumentException(field + " must be printable text without '|' (at most 500 characters)");
        }
        return s;
    }

    // ---- JSON shapes ----

    /** The instance JSON of spec 4.5, plus real_state, pending_state, problem and per_series. */
    static JsonObject instanceJson(Report r) {
        Snapshot s = r.snapshot();
        AlertDefinition d = r.definition();
        AlertDefinition.Condition c = d.condition();
        JsonArray per = new JsonArray();
        for (Evaluation.SeriesValue v : s.perSeries()) {
            per.add(new JsonObject().put("series", v.name()).put("value", num(v.value())).put("points", v.points())
                    .put("level", v.level().name()));
        }
        String summary = d.annotations().get("summary");
        return new JsonObject().put("alert", r.alert()).put("region", r.region()).put("series", s.seriesName())
                .put("state", r.state().name()).put("exit_code", r.state().exitCode())
                .put("raw_state", s.evaluated() ? s.raw().name() : null).put("real_state", r.realState().name())
                .put("value", num(s.value())).put("warn", JsonMaps.threshold(c, false))
                .put("crit", JsonMaps.threshold(c, true))
                .put("direction", c.direction().lower()).put("points", s.points())
                .put("since", s.sinceMillis() > 0 ? iso(s.sinceMillis()) : null)
                .put("pending_state", s.pendingState() == null ? null : s.pendingState().name())
                .put("pending_since", s.pendingState() == null ? null : iso(s.pendingSinceMillis()))
                .put("flapping", s.flapping())
                .put("silenced_by", r.silence() == null ? null : r.silence().id())
                .put("acked_by", r.ack() == null ? null : r.ack().by())
                .put("problem", r.problem())
                .put("evaluated_at", s.evaluatedAt() > 0 ? iso(s.evaluatedAt()) : null)
                .put("next_evaluation", s.nextEvaluation() > 0 ? iso(s.nextEvaluation()) : null)
                .put("summary", summary == null ? null : NagiosFormat.summary(summary, r))
                .put("text", NagiosFormat.body(r, r.state(), false).lines().findFirst().orElse(""))
                .put("missing_regions", new JsonObject(new java.util.LinkedHashMap<>(s.missingRegions())))
                .put("per_series", per);
    }

    static JsonObject definitionJson(AlertEngine.Entry e) {
        AlertDefinition d = e.definition();
        AlertDefinition.Condition c = d.condition();
        JsonObject j = new JsonObject().put("id", d.id()).put("name", d.name()).put("description", d.description())
                .put("group", d.group()).put("labels", new JsonObject(Map.copyOf(d.labels())))
                .put("enabled", d.enabled()).put("visibility", d.visibility()).put("source", d.source())
                .put("regions", new JsonArray(d.regions())).put("target", d.target())
                .put("scope", d.scope().lower()).put("missing_regions", d.missingRegions().lower())
                .put("window", Durations.format(d.windowSeconds())).put("offset", Durations.format(d.offsetSeconds()))
                .put("interval", Durations.format(d.intervalSeconds())).put("reduce", d.reduce().label())
                .put("series_mode", d.series().name().toLowerCase(java.util.Locale.ROOT))
                .put("direction", c.direction().lower()).put("warn", JsonMaps.threshold(c, false))
                .put("crit", JsonMaps.threshold(c, true))
                .put("for", Durations.format(d.forSeconds())).put("repeat", Durations.format(d.repeatSeconds()))
                .put("type", d.predictive() == null ? "threshold" : "predictive");
        if (d.compare() != null) {
            j.put("compare", new JsonObject().put("peers", d.compare().peers()).put("mode", d.compare().mode().lower())
                    .put("min_peers", d.compare().minPeers()));
        }
        if (d.predictive() != null) {
            j.put("baseline", new JsonObject().put("period", d.predictive().period())
                    .put("periods", d.predictive().periods())
                    .put("stat", d.predictive().median() ? "median" : "average"));
        }
        if (e.apiJson() != null) {
            j.put("definition", new JsonObject(e.apiJson()));
        }
        return j;
    }

    static JsonObject silenceJson(Silence s) {
        JsonArray ms = new JsonArray();
        for (Silence.Matcher m : s.matchers()) {
            ms.add(new JsonObject().put("name", m.name()).put("op", m.op()).put("value", m.value()));
        }
        return new JsonObject().put("id", s.id()).put("matchers", ms).put("starts_at", iso(s.startsAt()))
                .put("ends_at", iso(s.endsAt())).put("created_by", s.createdBy()).put("comment", s.comment())
                .put("effect", s.effect().name().toLowerCase(java.util.Locale.ROOT));
    }

    static JsonObject ackJson(Ack a) {
        return new JsonObject().put("alert", a.alert()).put("region", a.region()).put("state", a.state().name())
                .put("by", a.by()).put("comment", a.comment()).put("created_at", iso(a.createdAt()))
                .put("expires_at", iso(a.expiresAt()));
    }

    private static Object num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static String param(RoutingContext ctx, String name, String dflt) {
        String v = ctx.queryParams().get(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    // ---- plumbing ----

    private record Answer(int status, Object json) {
    }

    private void blocking(RoutingContext ctx, Callable<Object> work) {
        host.workers().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Object o = ar.result();
                if (o instanceof Answer a) {
                    json(ctx, a.status(), a.json());
                } else {
                    json(ctx, 200, o);
                }
            } else {
                LOG.warn("alerting API {} failed", ctx.request().path(), ar.cause());
                json(ctx, 500, error("internal error: " + ar.cause().getClass().getSimpleName()));
            }
        });
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).putHeader("Cache-Control", "no-store")
                .end(text);
    }

    /** The request body as text (POST bodies the server already collected; PUT read here), at most 1 MiB. */
    private void withBody(RoutingContext ctx, java.util.function.Consumer<String> then) {
        Buffer collected = host.body(ctx);
        if (collected != null) {
            if (collected.length() > MAX_BODY) {
                json(ctx, 413, error("body larger than " + MAX_BODY + " bytes"));
                return;
            }
            then.accept(collected.toString(StandardCharsets.UTF_8));
            return;
        }
        HttpServerRequest req = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        req.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                tooLarge[0] = true;
                json(ctx, 413, error("body larger than " + MAX_BODY + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(t -> json(ctx, 400, error("could not read the body: " + t.getMessage())));
        req.endHandler(v -> {
            if (!tooLarge[0]) {
                then.accept(body.toString(StandardCharsets.UTF_8));
            }
        });
        req.resume();
    }
}
