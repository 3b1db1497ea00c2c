package io.tally.alerting;

import io.tally.alerting.AlertDefinition.ActiveWindow;
import io.tally.alerting.AlertDefinition.Condition;
import io.tally.alerting.AlertDefinition.Direction;
import io.tally.alerting.AlertDefinition.Flap;
import io.tally.alerting.AlertDefinition.MissingRegions;
import io.tally.alerting.AlertDefinition.Notify;
import io.tally.alerting.AlertDefinition.Policy;
import io.tally.alerting.AlertDefinition.PolicyKind;
import io.tally.alerting.AlertDefinition.Reducer;
import io.tally.alerting.AlertDefinition.Scope;
import io.tally.alerting.AlertDefinition.SeriesMode;
import io.tally.alerting.AlertDefinition.Smoothing;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Parser;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strict reader of definition documents (spec 4.2) from the generic maps and lists YAML or JSON decode to.
 * Every field is checked: unknown fields, wrong types, ids and names that could break a URL, a Nagios command line,
 * the reason phrase or the perfdata ({@code CR}, {@code LF}, {@code |}, {@code !}, {@code $}), thresholds in the wrong
 * order for the direction, recover levels on the wrong side, windows and intervals beyond {@link AlertingConfig.Limits}.
 * The first problem throws a {@link DefinitionException} naming the source and the dotted field path.
 *
 * <p>A document is {@code {defaults: {...}, alerts: [...]}}; defaults hold fields every alert inherits unless it sets
 * them (maps such as {@code no_data} merge key by key). Stateless and thread-safe.
 */
public final class DefinitionParser {
    /** Ids end up in URLs and Nagios {@code $ARGn$}: no {@code !}, {@code $}, {@code /} or spaces. */
    private static final int MAX_ID = 64;
    private static final int MAX_TEXT = 200;
    private static final int MAX_LONG_TEXT = 2_000;
    private static final Set<String> RESERVED_IDS = Set.of("self", "region", "api");
    private static final Set<String> ALERT_FIELDS = Set.of("id", "name", "description", "group", "labels",
            "annotations", "enabled", "visibility", "regions", "query", "reduce", "series", "min_series",
            "max_failing_series", "condition", "for", "consecutive", "keep_firing_for", "flap", "no_data", "on_error", "stale_after",
            "active", "repeat", "notify", "inhibit", "interval", "offset", "type", "baseline", "compare");
    private static final Set<String> DEFAULT_FIELDS = Set.of("interval", "offset", "no_data", "on_error",
            "stale_after", "repeat", "group", "labels", "regions", "for", "consecutive", "keep_firing_for", "reduce", "series",
            "enabled", "notify", "active", "visibility", "min_series", "flap");

    private final AlertingConfig.Limits limits;
    private final boolean federation;

    /** A parser for a node without federation: {@code query.scope: federated} is refused. */
    public DefinitionParser(AlertingConfig.Limits limits) {
        this(limits, false);
    }

    /** @param federation whether this node's query path has a federation ({@code query.scope: federated} allowed) */
    public DefinitionParser(AlertingConfig.Limits limits, boolean federation) {
        this.limits = limits;
        this.federation = federation;
    }

    /** All alerts of a document; ids must be unique within it. */
    public List<AlertDefinition> parseDocument(Object doc, String source) {
        if (doc == null) {
            return List.of();
        }
        Node root = new Node(source, "", doc);
        Map<String, Object> m = root.asMap();
        for (String k : m.keySet()) {
            if (!k.equals("defaults") && !k.equals("alerts")) {
                throw new DefinitionException(source, k, "unknown field (a document has 'defaults' and 'alerts')");
            }
        }
        Map<String, Object> defaults = Map.of();
        if (m.get("defaults") != null) {
            defaults = root.child("defaults").asMap();
            for (String k : defaults.keySet()) {
                if (!DEFAULT_FIELDS.contains(k)) {
                    throw new DefinitionException(source, "defaults." + k, "unknown or not defaultable field");
                }
            }
        }
        List<AlertDefinition> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (m.get("alerts") == null) {
            return out;
        }
        List<Object> alerts = root.child("alerts").asList();
        if (alerts.size() > limits.maxAlerts()) {
            throw new DefinitionException(source, "alerts", "more than " + limits.maxAlerts() + " alerts");
        }
        for (int i = 0; i < alerts.size(); i++) {
            Node a = new Node(source, "alerts[" + i + "]", alerts.get(i));
            AlertDefinition d = parseAlert(merge(defaults, a.asMap()), source, "alerts[" + i + "].");
            if (!ids.add(d.id())) {
                throw new DefinitionException(source, "alerts[" + i + "].id", "duplicate id '" + d.id() + "'");
            }
            out.add(d);
        }
        return out;
    }

    /** One alert from its map (the API's body); {@code prefix} is prepended to field paths in errors. */
    public AlertDefinition parseAlert(Map<String, Object> alert, String source, String prefix) {
        Node n = new Node(source, prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix, alert);
        n.onlyFields(ALERT_FIELDS);
        String id = n.child("id").string(MAX_ID);
        if (!validId(id)) {
            throw n.child("id").error("'" + printable(id) + "' is not a valid id: [a-z0-9][a-z0-9._-]{0,63}");
        }
        if (RESERVED_IDS.contains(id)) {
            throw n.child("id").error("'" + id + "' is reserved (it would collide with an endpoint path)");
        }
        String name = n.has("name") ? n.child("name").text(MAX_TEXT) : id;
        String description = n.has("description") ? n.child("description").text(MAX_LONG_TEXT) : "";
        String group = n.has("group") ? n.child("group").text(MAX_TEXT) : "default";
        Map<String, String> labels = n.has("labels") ? n.child("labels").labelMap(true) : Map.of();
        Map<String, String> annotations = n.has("annotations") ? n.child("annotations").labelMap(false) : Map.of();
        boolean enabled = !n.has("enabled") || n.child("enabled").bool();
        String visibility = n.has("visibility") ? n.child("visibility").oneOf("public", "private") : "public";
        List<String> regions = n.has("regions") ? regions(n.child("regions")) : List.of("*");

        Node q = n.child("query");
        q.onlyFields(Set.of("target", "scope", "missing_regions", "window", "smoothing"));
        String target = q.child("target").string(limits.maxTargetChars());
        checkTarget(q.child("target"), target);
        Scope scope = Scope.LOCAL;
        if (q.has("scope") && q.child("scope").oneOf("local", "federated").equals("federated")) {
            if (!federation) {
                throw q.child("scope").error("federated scope needs federation (federation.peers or "
                        + "federation.secret), which this Tally lacks; use scope: local");
            }
            scope = Scope.FEDERATED;
        }
        MissingRegions missing = MissingRegions.ERROR;
        if (q.has("missing_regions")) {
            missing = MissingRegions.valueOf(q.child("missing_regions")
                    .oneOf("error", "ignore", "unknown", "warning", "critical").toUpperCase(Locale.ROOT));
        }
        long window = q.has("window") ? q.child("window").duration(1, limits.maxWindowSeconds()) : 600;
        Smoothing smoothing = Smoothing.NONE;
        if (q.has("smoothing")) {
            smoothing = switch (q.child("smoothing").oneOf("none", "movingAverage", "movingMedian")) {
                case "movingAverage" -> Smoothing.MOVING_AVERAGE;
                case "movingMedian" -> Smoothing.MOVING_MEDIAN;
                default -> Smoothing.NONE;
            };
        }
        long interval = n.has("interval")
                ? n.child("interval").duration(limits.minIntervalSeconds(), limits.maxIntervalSeconds()) : 60;
        long offset = n.has("offset") ? n.child("offset").duration(0, limits.maxDelaySeconds()) : 60;
        Reducer reduce = n.has("reduce") ? reducer(n.child("reduce")) : new Reducer(Reducer.Kind.AVG, Double.NaN, "avg");
        SeriesMode series = SeriesMode.WORST;
        if (n.has("series")) {
            series = SeriesMode.valueOf(n.child("series").oneOf("each", "worst", "sum", "avg", "max", "min", "first")
                    .toUpperCase(Locale.ROOT));
        }
        int minSeries = n.has("min_series") ? (int) n.child("min_series").integer(0, 100_000) : 1;
        int maxFailing = n.has("max_failing_series") ? (int) n.child("max_failing_series").integer(0, 100_000) : 0;
        boolean predictive = n.has("type") && n.child("type").oneOf("threshold", "predictive").equals("predictive");
        AlertDefinition.Compare compare = null;
        if (n.has("compare")) {
            if (predictive) {
                throw n.child("compare").error("compare is for threshold checks (a predictive check compares with "
                        + "earlier periods)");
            }
            compare = compare(n.child("compare"));
        }
        AlertDefinition.Predictive baseline = null;
        Condition condition;
        if (predictive) {
            baseline = baseline(n.child("baseline"), window);
            if (reduce.kind() == Reducer.Kind.ANY || reduce.kind() == Reducer.Kind.ALL
                    || reduce.kind() == Reducer.Kind.FRACTION) {
                throw n.child("reduce").error("a predictive check reduces each period's window to one value: "
                        + "use avg, median, last, min, max, sum, count or a percentile");
            }
            if (smoothing != Smoothing.NONE) {
                throw n.child("query").child("smoothing").error("a predictive check compares reduced windows; "
                        + "smoothing is for threshold checks");
            }
            condition = predictiveCondition(n.child("condition"));
        } else {
            if (n.has("baseline")) {
                throw n.child("baseline").error("baseline is for type: predictive");
            }
            condition = condition(n.child("condition"));
        }
        long forS = n.has("for") ? n.child("for").duration(0, limits.maxDelaySeconds()) : 0;
        int consecutive = n.has("consecutive") ? (int) n.child("consecutive").integer(1, 1000) : 0;
        long keep = n.has("keep_firing_for") ? n.child("keep_firing_for").duration(0, limits.maxDelaySeconds()) : 0;
        Flap flap = n.has("flap") ? flap(n.child("flap")) : null;
        int minPoints = 1;
        Policy noData = new Policy(PolicyKind.UNKNOWN, 300);
        if (n.has("no_data")) {
            Node nd = n.child("no_data");
            nd.onlyFields(Set.of("policy", "after", "min_points"));
            noData = policy(nd, noData);
            minPoints = nd.has("min_points") ? (int) nd.child("min_points").integer(0, 10_000_000) : minPoints;
        }
        Policy onError = new Policy(PolicyKind.UNKNOWN, 180);
        if (n.has("on_error")) {
            Node oe = n.child("on_error");
            oe.onlyFields(Set.of("policy", "after", "then"));
            onError = policy(oe, onError);
        }
        int staleAfter = 3;
        if (n.has("stale_after")) {
            Node s = n.child("stale_after");
            String v = s.scalarText();
            String digits = v.endsWith("x") ? v.substring(0, v.length() - 1) : v;
            try {
                staleAfter = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw s.error("'" + printable(v) + "' is not a count of intervals such as 3x");
            }
            if (staleAfter < 2 || staleAfter > 100) {
                throw s.error("must be between 2x and 100x");
            }
        }
        List<ActiveWindow> active = n.has("active") ? active(n.child("active")) : List.of();
        long repeat = n.has("repeat") ? n.child("repeat").duration(0, limits.maxDelaySeconds()) : 0;
        if (repeat > 0 && repeat < interval) {
            throw n.child("repeat").error("repeat (" + repeat + "s) is shorter than the interval (" + interval + "s)");
        }
        List<Notify> notify = n.has("notify") ? notify(n.child("notify")) : List.of();
        List<AlertDefinition.Inhibit> inhibit = n.has("inhibit") ? inhibit(n.child("inhibit"), id) : List.of();
        return new AlertDefinition(id, name, description, group, labels, annotations, enabled, visibility, regions,
                target, window, offset, smoothing, scope, missing, interval, reduce, series, minSeries, maxFailing,
                condition, forS, consecutive, keep, flap, noData, minPoints, onError, staleAfter, active, repeat,
                notify, inhibit, source, baseline, compare);
    }

    /** {@code compare: {peers: TARGET, mode: ratio|difference|percent|zscore, min_peers: N}}. */
    private AlertDefinition.Compare compare(Node n) {
        n.onlyFields(Set.of("peers", "mode", "min_peers"));
        String peers = n.child("peers").string(limits.maxTargetChars());
        checkTarget(n.child("peers"), peers);
        AlertDefinition.CompareMode mode = AlertDefinition.CompareMode.RATIO;
        if (n.has("mode")) {
            mode = AlertDefinition.CompareMode.valueOf(n.child("mode").oneOf("ratio", "difference", "percent", "zscore")
                    .toUpperCase(Locale.ROOT));
        }
        int min = mode == AlertDefinition.CompareMode.ZSCORE ? 2 : 1;
        int minPeers = n.has("min_peers") ? (int) n.child("min_peers").integer(min, 10_000) : min;
        return new AlertDefinition.Compare(peers, mode, minPeers);
    }

    /** {@code baseline: {period: daily|weekly|monthly, periods: 2..15, stat: average|median}} (Tattle's regression). */
    private static AlertDefinition.Predictive baseline(Node n, long windowSeconds) {
        n.onlyFields(Set.of("period", "periods", "stat"));
        String period = n.child("period").oneOf("daily", "weekly", "monthly");
        long seconds = switch (period) {
            case "daily" -> 86_400L;
            case "weekly" -> 7 * 86_400L;
            default -> 28 * 86_400L; // Tattle's month: 4 weeks
        };
        // a standard deviation needs two earlier periods (Tattle allowed 1 and then divided by zero)
        int periods = n.has("periods") ? (int) n.child("periods").integer(2, 15) : 4;
        if (windowSeconds > seconds) {
            throw n.child("period").error("the window (" + Durations.format(windowSeconds) + ") is longer than the "
                    + "period (" + period + ")");
        }
        boolean median = n.has("stat") && n.child("stat").oneOf("average", "median").equals("median");
        return new AlertDefinition.Predictive(period, seconds, periods, median);
    }

    /**
     * warn and crit count standard deviations (positive, warn at most crit). above: z at or above them; below: z at
     * or below their negatives; both: |z| at or above them. Stored as the condition on the reported value.
     */
    private static Condition predictiveCondition(Node n) {
        n.onlyFields(Set.of("direction", "warn", "crit", "inclusive", "recover"));
        Direction dir = Direction.valueOf(n.child("direction").oneOf("above", "below", "both")
                .toUpperCase(Locale.ROOT));
        double warn = n.has("warn") ? n.child("warn").number() : Double.NaN;
        double crit = n.has("crit") ? n.child("crit").number() : Double.NaN;
        if (Double.isNaN(warn) && Double.isNaN(crit)) {
            throw n.error("needs warn, crit or both");
        }
        for (String f : List.of("warn", "crit")) {
            if (n.has(f) && n.child(f).number() <= 0) {
                throw n.child(f).error("counts standard deviations: must be above 0");
            }
        }
        if (!Double.isNaN(warn) && !Double.isNaN(crit) && warn > crit) {
            throw n.child("warn").error("warn (" + num(warn) + ") is above crit (" + num(crit)
                    + "): both count standard deviations");
        }
        if (n.has("recover")) {
            throw n.child("recover").error("recover levels are for threshold checks");
        }
        boolean inclusive = !n.has("inclusive") || n.child("inclusive").bool();
        double sign = dir == Direction.BELOW ? -1 : 1;
        return new Condition(dir, sign * warn, sign * crit, inclusive, Double.NaN, Double.NaN);
    }

    static boolean validId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The defaults under the alert's own fields; nested maps merge one level deep. */
    private static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> alert) {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Object> e : alert.entrySet()) {
            Object base = out.get(e.getKey());
            if (base instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> am) {
                Map<Object, Object> merged = new LinkedHashMap<>(bm);
                merged.putAll(am);
                out.put(e.getKey(), merged);
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private void checkTarget(Node field, String target) {
        int at = target.indexOf("${");
        while (at >= 0) {
            if (!target.startsWith("${region}", at)) {
                throw field.error("only ${region} may be substituted (found '" + printable(
                        target.substring(at, Math.min(target.length(), at + 20))) + "')");
            }
            at = target.indexOf("${", at + 2);
        }
        try {
            Parser.parse(AlertDefinition.substitute(target, "region"));
        } catch (ExpressionException e) {
            throw field.error("not a valid Graphite target: " + e.getMessage());
        }
    }

    private static List<String> regions(Node n) {
        List<String> out = new ArrayList<>();
        List<Object> raw = n.asList();
        if (raw.isEmpty()) {
            throw n.error("must list at least one region, or \"*\"");
        }
        for (int i = 0; i < raw.size(); i++) {
            Node r = new Node(n.source, n.path + "[" + i + "]", raw.get(i));
            String v = r.string(MAX_ID);
            if (!v.equals("*") && !validId(v)) {
                throw r.error("'" + printable(v) + "' is not a region name ([a-z0-9][a-z0-9._-]*) or \"*\"");
            }
            out.add(v);
        }
        return out;
    }

    private static Reducer reducer(Node n) {
        String v = n.scalarText();
        switch (v) {
            case "last": return new Reducer(Reducer.Kind.LAST, Double.NaN, v);
            case "avg": case "average": return new Reducer(Reducer.Kind.AVG, Double.NaN, "avg");
            case "median": return new Reducer(Reducer.Kind.MEDIAN, Double.NaN, v);
            case "min": return new Reducer(Reducer.Kind.MIN, Double.NaN, v);
            case "max": return new Reducer(Reducer.Kind.MAX, Double.NaN, v);
            case "sum": return new Reducer(Reducer.Kind.SUM, Double.NaN, v);
            case "count": return new Reducer(Reducer.Kind.COUNT, Double.NaN, v);
            case "any": return new Reducer(Reducer.Kind.ANY, Double.NaN, v);
            case "all": return new Reducer(Reducer.Kind.ALL, Double.NaN, v);
            default: break;
        }
        try {
            if (v.length() > 1 && v.length() <= 8 && v.charAt(0) == 'p' && Character.isDigit(v.charAt(1))) {
                double p = Double.parseDouble(v.substring(1));
                if (p > 0 && p < 100) {
                    return new Reducer(Reducer.Kind.PERCENTILE, p, v);
                }
            }
            if (v.startsWith("fraction:") && v.length() <= 20) {
                double f = Double.parseDouble(v.substring("fraction:".length()));
                if (f > 0 && f <= 1) {
                    return new Reducer(Reducer.Kind.FRACTION, f, v.replace(':', '_'));
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw n.error("unknown reducer '" + printable(v) + "' (last, avg, median, min, max, sum, count, p1..p99.9, "
                + "any, all, fraction:F)");
    }

    private static Condition condition(Node n) {
        if (n.has("range")) {
            return nagiosRangeCondition(n);
        }
        n.onlyFields(Set.of("direction", "warn", "crit", "inclusive", "recover"));
        Direction dir = Direction.valueOf(n.child("direction").oneOf("above", "below", "outside", "inside")
                .toUpperCase(Locale.ROOT));
        if (dir.ranged()) {
            return rangeCondition(n, dir);
        }
        double warn = n.has("warn") ? n.child("warn").number() : Double.NaN;
        double crit = n.has("crit") ? n.child("crit").number() : Double.NaN;
        if (Double.isNaN(warn) && Double.isNaN(crit)) {
            throw n.error("needs warn, crit or both");
        }
        if (!Double.isNaN(warn) && !Double.isNaN(crit)) {
            if (dir == Direction.ABOVE && warn > crit) {
                throw n.child("warn").error("warn (" + num(warn) + ") is above crit (" + num(crit)
                        + ") for direction above");
            }
            if (dir == Direction.BELOW && warn < crit) {
                throw n.child("warn").error("warn (" + num(warn) + ") is below crit (" + num(crit)
                        + ") for direction below");
            }
        }
        boolean inclusive = !n.has("inclusive") || n.child("inclusive").bool();
        double rw = Double.NaN;
        double rc = Double.NaN;
        if (n.has("recover")) {
            Node r = n.child("recover");
            r.onlyFields(Set.of("warn", "crit"));
            if (r.has("warn")) {
                rw = r.child("warn").number();
                checkRecover(r.child("warn"), dir, rw, warn, "warn");
            }
            if (r.has("crit")) {
                rc = r.child("crit").number();
                checkRecover(r.child("crit"), dir, rc, crit, "crit");
            }
        }
        return new Condition(dir, warn, crit, inclusive, rw, rc);
    }

    /**
     * outside / inside: warn and crit are Nagios ranges {@code [low, high]}. The wider range holds the narrower one
     * (outside: crit around warn, so a value leaves warn first; inside: warn around crit, so it enters warn first).
     */
    private static Condition rangeCondition(Node n, Direction dir) {
        if (n.has("recover")) {
            throw n.child("recover").error("recover levels apply to directions above and below only");
        }
        double[] warn = n.has("warn") ? range(n.child("warn")) : null;
        double[] crit = n.has("crit") ? range(n.child("crit")) : null;
        if (warn == null && crit == null) {
            throw n.error("needs warn, crit or both");
        }
        checkNested(n, dir, warn, crit);
        boolean inclusive = !n.has("inclusive") || n.child("inclusive").bool();
        return new Condition(dir, warn == null ? Double.NaN : warn[0], crit == null ? Double.NaN : crit[0], inclusive,
                Double.NaN, Double.NaN, warn == null ? Double.NaN : warn[1], crit == null ? Double.NaN : crit[1]);
    }

    /**
     * {@code range: {warn: "10:20", crit: "@~:5"}}: thresholds in the Nagios plugin range syntax ({@code [@]start:end};
     * {@code start} 0 when left out with its colon, {@code ~} for minus infinity, an empty {@code end} for
     * infinity; without {@code @} a value outside the range alerts, with it a value inside). Both must agree on
     * {@code @}; they become direction outside or inside with those ranges (endpoints inclusive, as in Nagios).
     */
    private static Condition nagiosRangeCondition(Node n) {
        n.onlyFields(Set.of("range"));
        Node r = n.child("range");
        r.onlyFields(Set.of("warn", "crit"));
        Boolean inside = null;
        double[][] ranges = new double[2][];
        String[] fields = {"warn", "crit"};
        for (int i = 0; i < 2; i++) {
            if (!r.has(fields[i])) {
                continue;
            }
            Node f = r.child(fields[i]);
            String text = f.string(64).strip();
            boolean at = text.startsWith("@");
            if (inside != null && inside != at) {
                throw f.error("warn and crit must both alert inside (@) or both outside their ranges");
            }
            inside = at;
            ranges[i] = nagiosRange(f, at ? text.substring(1) : text);
        }
        if (inside == null) {
            throw r.error("needs warn, crit or both");
        }
        Direction dir = inside ? Direction.INSIDE : Direction.OUTSIDE;
        double[] warn = ranges[0];
        double[] crit = ranges[1];
        checkNested(r, dir, warn, crit);
        return new Condition(dir, warn == null ? Double.NaN : warn[0], crit == null ? Double.NaN : crit[0], true,
                Double.NaN, Double.NaN, warn == null ? Double.NaN : warn[1], crit == null ? Double.NaN : crit[1]);
    }

    /** {@code start:end}, {@code end} (start 0), {@code start:} (end infinity), {@code ~:end}. */
    private static double[] nagiosRange(Node f, String text) {
        int colon = text.indexOf(':');
        String start = colon < 0 ? "0" : text.substring(0, colon);
        String end = colon < 0 ? text : text.substring(colon + 1);
        double low;
        double high;
        try {
            low = start.equals("~") ? Double.NEGATIVE_INFINITY : Double.parseDouble(start);
            high = end.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(end);
        } catch (NumberFormatException e) {
            throw f.error("'" + printable(text) + "' is not a Nagios range ([@]start:end, ~ for minus infinity, "
                    + "an empty end for infinity)");
        }
        if (Double.isNaN(low) || Double.isNaN(high) || low == Double.POSITIVE_INFINITY
                || high == Double.NEGATIVE_INFINITY || start.contains("Infinity") || end.contains("Infinity")) {
            throw f.error("'" + printable(text) + "' is not a Nagios range");
        }
        if (low > high) {
            throw f.error("start (" + num(low) + ") is above end (" + num(high) + ")");
        }
        return new double[] {low, high};
    }

    /**
     * The wider range holds the narrower one: outside, crit around warn (a value leaves warn first); inside, warn
     * around crit (it enters warn first). {@code n} holds the {@code crit} field.
     */
    private static void checkNested(Node n, Direction dir, double[] warn, double[] crit) {
        if (warn == null || crit == null) {
            return;
        }
        double[] outer = dir == Direction.OUTSIDE ? crit : warn;
        double[] inner = dir == Direction.OUTSIDE ? warn : crit;
        if (outer[0] > inner[0] || outer[1] < inner[1]) {
            throw n.child("crit").error("crit " + rangeText(crit) + (dir == Direction.OUTSIDE
                    ? " must contain warn " + rangeText(warn) + " for direction outside (a value leaves the "
                    + "warn range first)"
                    : " must lie within warn " + rangeText(warn) + " for direction inside (a value enters the "
                    + "warn range first)"));
        }
    }

    /** {@code [low, high]}: two finite numbers, low at most high. */
    private static double[] range(Node n) {
        if (!(n.value instanceof List<?> l) || l.size() != 2) {
            throw n.error("expected a range [low, high] of two numbers for direction outside or inside");
        }
        double low = new Node(n.source, n.path + "[0]", l.get(0)).number();
        double high = new Node(n.source, n.path + "[1]", l.get(1)).number();
        if (low > high) {
            throw n.error("low (" + num(low) + ") is above high (" + num(high) + ")");
        }
        return new double[] {low, high};
    }

    private static String rangeText(double[] r) {
        return "[" + num(r[0]) + ", " + num(r[1]) + "]";
    }

    private static void checkRecover(Node n, Direction dir, double recover, double threshold, String which) {
        if (Double.isNaN(threshold)) {
            throw n.error("a recover level for " + which + " needs condition." + which);
        }
        if (dir == Direction.ABOVE ? recover > threshold : recover < threshold) {
            throw n.error("recover " + which + " (" + num(recover) + ") is on the wrong side of " + which + " ("
                    + num(threshold) + "): for direction " + dir.lower() + " it must be "
                    + (dir == Direction.ABOVE ? "at or below" : "at or above") + " it");
        }
    }

    private static Flap flap(Node n) {
        n.onlyFields(Set.of("history", "low", "high"));
        int history = n.has("history") ? (int) n.child("history").integer(3, 100) : 21;
        double low = n.has("low") ? n.child("low").number() : 20;
        double high = n.has("high") ? n.child("high").number() : 30;
        if (low < 0 || high > 100 || low > high) {
            throw n.error("needs 0 <= low <= high <= 100 (percent state change)");
        }
        return new Flap(history, low, high);
    }

    private Policy policy(Node n, Policy base) {
        PolicyKind kind = base.kind();
        if (n.has("policy")) {
            kind = kind(n.child("policy"));
        }
        long after = n.has("after") ? n.child("after").duration(0, limits.maxDelaySeconds()) : base.afterSeconds();
        if (n.has("then")) {
            // "keep the last state for `after`, then X" is the same rule as "X once it has lasted `after`"
            if (kind != PolicyKind.KEEP_LAST) {
                throw n.child("then").error("'then' only follows policy keep_last");
            }
            kind = kind(n.child("then"));
        }
        return new Policy(kind, after);
    }

    private static PolicyKind kind(Node n) {
        return PolicyKind.valueOf(n.oneOf("ok", "warning", "critical", "unknown", "keep_last")
                .toUpperCase(Locale.ROOT));
    }

    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    private static List<ActiveWindow> active(Node n) {
        List<ActiveWindow> out = new ArrayList<>();
        List<Object> raw = n.asList();
        for (int i = 0; i < raw.size(); i++) {
            Node w = new Node(n.source, n.path + "[" + i + "]", raw.get(i));
            w.onlyFields(Set.of("days", "from", "to", "tz"));
            int days = w.has("days") ? days(w.child("days")) : 0x7f;
            int from = w.has("from") ? minute(w.child("from")) : 0;
            int to = w.has("to") ? minute(w.child("to")) : 23 * 60 + 59;
            ZoneId zone = ZoneOffset.UTC;
            if (w.has("tz")) {
                String tz = w.child("tz").string(64);
                try {
                    zone = ZoneId.of(tz);
                } catch (DateTimeException e) {
                    throw w.child("tz").error("unknown time zone '" + printable(tz) + "'");
                }
            }
            out.add(new ActiveWindow(days, from, to, zone));
        }
        return out;
    }

    /** {@code mon-fri}, {@code sat,sun}, {@code fri-mon} (wrapping, as Tattle's day range). */
    private static int days(Node n) {
        String v = n.scalarText().toLowerCase(Locale.ROOT);
        int mask = 0;
        for (String part : v.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            int a = day(n, dash < 0 ? p : p.substring(0, dash));
            int b = dash < 0 ? a : day(n, p.substring(dash + 1));
            for (int d = a; ; d = (d + 1) % 7) {
                mask |= 1 << d;
                if (d == b) {
                    break;
                }
            }
        }
        return mask;
    }

    private static int day(Node n, String s) {
        for (int i = 0; i < DAYS.length; i++) {
            if (DAYS[i].equals(s.strip())) {
                return i;
            }
        }
        throw n.error("'" + printable(s) + "' is not a day (mon..sun)");
    }

    private static int minute(Node n) {
        String v = n.scalarText();
        int colon = v.indexOf(':');
        try {
            if (colon > 0 && colon <= 2 && v.length() - colon == 3) {
                int h = Integer.parseInt(v.substring(0, colon));
                int m = Integer.parseInt(v.substring(colon + 1));
                if (h >= 0 && h < 24 && m >= 0 && m < 60) {
                    return h * 60 + m;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw n.error("'" + printable(v) + "' is not a time of day HH:MM");
    }

    private static List<Notify> notify(Node n) {
        List<Notify> out = new ArrayList<>();
        List<Object> raw = n.asList();
        for (int i = 0; i < raw.size(); i++) {
            Node e = new Node(n.source, n.path + "[" + i + "]", raw.get(i));
            e.onlyFields(Set.of("method", "ref", "url", "states", "enabled"));
            String method = e.has("method") ? e.child("method").oneOf("webhook") : "webhook";
            String ref = e.has("ref") ? e.child("ref").string(MAX_ID) : null;
            String url = null;
            if (e.has("url")) {
                url = e.child("url").string(MAX_LONG_TEXT);
                try {
                    URI u = URI.create(url);
                    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                        throw e.child("url").error("must be an absolute http or https URL");
                    }
                } catch (IllegalArgumentException bad) {
                    throw e.child("url").error("not a URL: " + bad.getMessage());
                }
            }
            if ((ref == null) == (url == null)) {
                throw e.error("needs exactly one of ref (a configured webhook) or url");
            }
            Set<State> states = EnumSet.allOf(State.class);
            if (e.has("states")) {
                states = EnumSet.noneOf(State.class);
                List<Object> s = e.child("states").asList();
                for (int j = 0; j < s.size(); j++) {
                    Node sn = new Node(e.source, e.path + ".states[" + j + "]", s.get(j));
                    states.add(State.valueOf(sn.oneOf("ok", "warning", "critical", "unknown").toUpperCase(Locale.ROOT)));
                }
            }
            boolean enabled = !e.has("enabled") || e.child("enabled").bool();
            out.add(new Notify(method, ref, url, states, enabled));
        }
        return out;
    }

    private static List<AlertDefinition.Inhibit> inhibit(Node n, String self) {
        List<AlertDefinition.Inhibit> out = new ArrayList<>();
        List<Object> raw = n.asList();
        for (int i = 0; i < raw.size(); i++) {
            Node r = new Node(n.source, n.path + "[" + i + "]", raw.get(i));
            r.onlyFields(Set.of("source", "equal"));
            Node src = r.child("source");
            src.onlyFields(Set.of("alert"));
            String alert = src.child("alert").string(MAX_ID);
            if (!validId(alert)) {
                throw src.child("alert").error("'" + printable(alert) + "' is not a valid alert id");
            }
            if (alert.equals(self)) {
                throw src.child("alert").error("an alert cannot inhibit itself");
            }
            List<String> equal = new ArrayList<>();
            if (r.has("equal")) {
                List<Object> e = r.child("equal").asList();
                for (int j = 0; j < e.size(); j++) {
                    Node en = new Node(n.source, r.path + ".equal[" + j + "]", e.get(j));
                    String label = en.string(MAX_ID);
                    if (!labelName(label)) {
                        throw en.error("'" + printable(label) + "' is not a label name");
                    }
                    equal.add(label);
                }
            }
            out.add(new AlertDefinition.Inhibit(alert, equal));
        }
        return out;
    }

    static boolean labelName(String k) {
        boolean ok = !k.isEmpty() && k.length() <= MAX_ID;
        for (int i = 0; ok && i < k.length(); i++) {
            char c = k.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
        }
        return ok;
    }

    static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Text safe to quote in an error message: control characters shown as {@code ?}, at most 80 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** A value at a dotted path, with typed accessors that throw {@link DefinitionException}s naming the path. */
    private static final class Node {
        final String source;
        final String path;
        final Object value;

        Node(String source, String path, Object value) {
            this.source = source;
            this.path = path;
            this.value = value;
        }

        DefinitionException error(String problem) {
            return new DefinitionException(source, path, problem);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> asMap() {
            if (!(value instanceof Map<?, ?> m)) {
                throw error("expected a mapping");
            }
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw error("keys must be strings");
                }
            }
            return (Map<String, Object>) m;
        }

        @SuppressWarnings("unchecked")
        List<Object> asList() {
            if (!(value instanceof List<?> l)) {
                throw error("expected a list");
            }
            return (List<Object>) l;
        }

        boolean has(String key) {
            return asMap().get(key) != null;
        }

        Node child(String key) {
            Object v = asMap().get(key);
            String p = path.isEmpty() ? key : path + "." + key;
            if (v == null) {
                throw new DefinitionException(source, p, "required field is missing");
            }
            return new Node(source, p, v);
        }

        void onlyFields(Set<String> allowed) {
            for (String k : asMap().keySet()) {
                if (!allowed.contains(k)) {
                    throw new DefinitionException(source, path.isEmpty() ? printable(k) : path + "." + printable(k),
                            "unknown field");
                }
            }
        }

        String scalarText() {
            if (value instanceof String s) {
                return s.strip();
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            throw error("expected a scalar value");
        }

        /** A string without control characters, at most {@code max} characters. */
        String string(int max) {
            if (!(value instanceof String) && !(value instanceof Number)) {
                throw error("expected a string");
            }
            String s = value.toString();
            if (s.length() > max) {
                throw error("longer than " + max + " characters");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw error("contains a control character (CR, LF, tab, ...) at position " + i);
                }
            }
            return s;
        }

        /** A display text: also no {@code |}, which would cut into the perfdata of the plugin output. */
        String text(int max) {
            String s = string(max);
            if (s.indexOf('|') >= 0) {
                throw error("contains '|', which would cut into the plugin's perfdata");
            }
            return s;
        }

        String oneOf(String... allowed) {
            String v = scalarText();
            for (String a : allowed) {
                if (a.equals(v)) {
                    return a;
                }
            }
            throw error("'" + printable(v) + "' is not one of " + String.join(", ", allowed));
        }

        boolean bool() {
            if (value instanceof Boolean b) {
                return b;
            }
            throw error("expected true or false");
        }

        double number() {
            if (value instanceof Number num) {
                double d = num.doubleValue();
                if (Double.isFinite(d)) {
                    return d;
                }
            }
            throw error("expected a finite number");
        }

        long integer(long min, long max) {
            if (value instanceof Integer || value instanceof Long) {
                long v = ((Number) value).longValue();
                if (v >= min && v <= max) {
                    return v;
                }
                throw error(v + " is outside [" + min + ", " + max + "]");
            }
            throw error("expected a whole number");
        }

        long duration(long min, long max) {
            String v = value instanceof Number ? value.toString() : scalarText();
            long s;
            try {
                s = Durations.parseSeconds(v);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            if (s < min || s > max) {
                throw error(printable(v) + " is outside the allowed range [" + Durations.format(min) + ", "
                        + Durations.format(max) + "]");
            }
            return s;
        }

        /** Labels (keys like Prometheus label names) or annotations (any key); values are display texts. */
        Map<String, String> labelMap(boolean strictKeys) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : asMap().entrySet()) {
                String k = e.getKey();
                boolean ok = !k.isEmpty() && k.length() <= MAX_ID;
                for (int i = 0; ok && i < k.length(); i++) {
                    char c = k.charAt(i);
                    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
                }
                if (!ok && strictKeys) {
                    throw new DefinitionException(source, path + "." + printable(k), "not a label name [A-Za-z_][A-Za-z0-9_]*");
                }
                if (!ok) {
                    throw new DefinitionException(source, path + "." + printable(k), "not an annotation name [A-Za-z_][A-Za-z0-9_]*");
                }
                Object v = e.getValue();
                if (v == null) {
                    throw new DefinitionException(source, path + "." + k, "empty value");
                }
                out.put(k, new Node(source, path + "." + k, v).text(MAX_LONG_TEXT));
            }
            return out;
        }
    }
}
