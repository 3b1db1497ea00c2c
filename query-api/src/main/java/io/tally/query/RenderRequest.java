package io.tally.query;

import io.tally.query.expr.Expr;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Parser;
import io.tally.query.graph.GraphOptions;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed parameters of one {@code /render} request (spec §3.1), validated: times resolved to epoch seconds,
 * {@code from < until}, targets non-blank and parsed (a syntax error is a 400 before any storage work).
 *
 * @param targets       non-blank target expressions in request order
 * @param expressions   the parsed targets, in the same order
 * @param from          exclusive start (epoch seconds)
 * @param until         inclusive end (epoch seconds)
 * @param now           "now" for relative times and retention clamping
 * @param maxDataPoints 0 when absent
 * @param noNullPoints  drop null points (and series left empty)
 * @param xFilesFactor  the request's xFilesFactor for consolidation (graphite's default 0)
 * @param pretty        indent the JSON
 * @param jsonp         JSONP callback name or null
 * @param zone          the request's time zone ({@code tz}, else the server's)
 * @param template      {@code template[name]=value} parameters, for {@code template()} targets
 * @param format        the answer's format
 * @param cacheTimeout  the {@code cacheTimeout} parameter in seconds, -1 when absent (or not a number)
 * @param noCache       the {@code noCache} flag: neither read nor fill the response cache
 * @param cacheKey      the request as text, the response cache's key: absolute times as epoch seconds, times
 *                      relative to the clock as written; two requests with the same key get the same answer
 *                      within the cache's time to live
 * @param graph         the picture parameters for {@code format=png/svg}; null for the data formats, which
 *                      ignore them as graphite-web does
 */
public record RenderRequest(List<String> targets, List<Expr> expressions, long from, long until, long now,
                            int maxDataPoints, boolean noNullPoints, double xFilesFactor, boolean pretty,
                            String jsonp, ZoneId zone, Map<String, Object> template, RenderFormat format,
                            int cacheTimeout, boolean noCache, String cacheKey, GraphOptions graph) {

    public RenderRequest {
        targets = List.copyOf(targets);
        expressions = List.copyOf(expressions);
        template = Map.copyOf(template);
    }

    /** A request for already-resolved times (tests, internal callers); targets are parsed here. */
    public static RenderRequest of(List<String> targets, long from, long until, long now, int maxDataPoints,
                                   double xFilesFactor) {
        return new RenderRequest(targets, parseTargets(targets), from, until, now, maxDataPoints, false,
                xFilesFactor, false, null, java.time.ZoneOffset.UTC, Map.of(), RenderFormat.JSON, -1, true, "", null);
    }

    /**
     * @param clockNow    the server's current time (epoch seconds)
     * @param defaultZone the server's time zone; a valid {@code tz} parameter overrides it, an unknown one is ignored
     * @throws BadRequestException for bad input
     */
    public static RenderRequest parse(Params p, long clockNow, ZoneId defaultZone) {
        RenderFormat format = RenderFormat.of(p);
        ZoneId zone = zone(p.get("tz"), defaultZone);
        long now = p.has("now") ? time("now", p.get("now"), clockNow, zone) : clockNow;
        long until = time("until", p.get("until", "now"), now, zone);
        long from = time("from", p.get("from", "-1d"), now, zone);
        if (from > until) {
            long t = from;
            from = until;
            until = t;
        }
        if (from == until) {
            throw new BadRequestException("Invalid empty time range");
        }
        List<String> targets = new ArrayList<>();
        for (String t : p.all("target")) {
            String s = t.strip();
            if (!s.isEmpty()) {
                targets.add(s);
            }
        }
        int maxDataPoints = maxDataPoints(p.get("maxDataPoints"));
        boolean noNullPoints = p.has("noNullPoints");
        double xff = xFilesFactor(p.get("xFilesFactor"));
        boolean pretty = p.flag("pretty");
        String jsonp = jsonp(p.get("jsonp"));
        Map<String, Object> template = template(p);
        GraphOptions graph = format.picture() ? GraphOptions.parse(p) : null;
        // Everything the answer depends on; the clock's "now" only when the request set it. Times relative to the
        // clock (from=-6h, until=now) enter as written, so a dashboard refreshing within cacheTimeout hits, as
        // graphite-web's request-keyed cache does; absolute times enter resolved (any spelling of one instant).
        StringBuilder key = new StringBuilder(64).append(format.param()).append('\u0000')
                .append(timeKey("from", p.get("from", "-1d"), now, zone)).append('\u0000')
                .append(timeKey("until", p.get("until", "now"), now, zone)).append('\u0000')
                .append(p.has("now") ? Long.toString(now) : "")
                .append('\u0000').append(maxDataPoints).append('\u0000').append(noNullPoints).append('\u0000')
                .append(xff).append('\u0000').append(pretty).append('\u0000').append(jsonp).append('\u0000')
                .append(zone.getId()).append('\u0000').append(new java.util.TreeMap<>(template));
        for (String t : targets) {
            key.append('\u0001').append(t);
        }
        if (graph != null) {
            key.append('\u0002').append(graph.cacheKey());
        }
        return new RenderRequest(targets, parseTargets(targets), from, until, now, maxDataPoints, noNullPoints, xff,
                pretty, jsonp, zone, template, format, cacheTimeout(p.get("cacheTimeout")), p.has("noCache"),
                key.toString(), graph);
    }

    /**
     * A time's part of the cache key: its epoch seconds when it does not depend on the current time, else the spec
     * as written (prefixed so it never equals an epoch).
     */
    private static String timeKey(String name, String spec, long now, ZoneId zone) {
        long at = time(name, spec, now, zone);
        return at == time(name, spec, now + 1, zone) ? Long.toString(at) : "~" + spec.strip();
    }

    /** {@code cacheTimeout} in seconds; -1 when absent or not a non-negative integer (graphite-web ignores it). */
    static int cacheTimeout(String v) {
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v.strip());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @throws BadRequestException naming the target and the column of a syntax error */
    static List<Expr> parseTargets(List<String> targets) {
        List<Expr> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            try {
                out.add(Parser.parse(t));
            } catch (ExpressionException e) {
                throw new BadRequestException("Invalid target " + t + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code template[name]=value} parameters; values that look like numbers stay strings (graphite converts). */
    static Map<String, Object> template(Params p) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : p.keys()) {
            if (key.startsWith("template[") && key.endsWith("]") && key.length() > "template[]".length()) {
                out.put(key.substring("template[".length(), key.length() - 1), p.get(key));
            }
        }
        return out;
    }

    static ZoneId zone(String tz, ZoneId fallback) {
        if (tz == null || tz.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(tz.strip(), ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return fallback; // graphite-web silently ignores an unknown zone
        }
    }

    static long time(String param, String spec, long now, ZoneId zone) {
        try {
            return TimeSpec.parse(spec, now, zone);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Invalid " + param + ": " + e.getMessage());
        }
    }

    /** graphite-web takes {@code maxDataPoints} only when it is all digits; anything else is ignored. */
    static int maxDataPoints(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static double xFilesFactor(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new BadRequestException("Invalid xFilesFactor: " + v + " (expected a number between 0 and 1)");
    }

    /** A JSONP callback must be a plain JavaScript name path, so the response cannot carry injected script. */
    static String jsonp(String cb) {
        if (cb == null || cb.isEmpty()) {
            return null;
        }
        if (cb.length() > 128) {
            throw new BadRequestException("Invalid jsonp callback (longer than 128 characters)");
        }
        for (int i = 0; i < cb.length(); i++) {
            char c = cb.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '$' || c == '.';
            if (!ok) {
                throw new BadRequestException("Invalid jsonp callback: " + cb
                        + " (letters, digits, '_', '$' and '.' only)");
            }
        }
        return cb;
    }
}
