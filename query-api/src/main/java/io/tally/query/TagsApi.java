package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.StorageReader;
import io.tally.engine.config.PythonRegex;
import io.tally.engine.index.TagExpression;
import io.tally.engine.name.MetricName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Graphite tags API (spec §3.6) over a {@link StorageReader}, framework-free: {@code /tags},
 * {@code /tags/<tag>}, {@code /tags/findSeries}, {@code /tags/autoComplete/tags}, {@code /tags/autoComplete/values},
 * {@code /tags/tagSeries} and {@code /tags/tagMultiSeries}. Answers have graphite-web's shape without the local
 * database's {@code id}s (like its Redis tag database). Bad input throws {@link BadRequestException}, which the
 * server answers as {@code {"error": ...}} with 400; a result beyond {@code query.max-find-results} throws
 * {@link io.tally.engine.api.LimitExceededException}. The read methods block on storage: call them from a worker.
 *
 * <p>Semantics worth knowing:
 * <ul>
 *   <li>Tag expressions are checked here before storage sees them: each must parse, and at least one must require
 *       a non-empty value (graphite-web fails with a 500 otherwise; Tally answers 400).</li>
 *   <li>{@code /tags/<tag>} counts the series per value from one {@code findByTags(tag!=)} (the storage API has no
 *       count query), so its cost is the number of series carrying the tag, bounded by
 *       {@code query.max-find-results} (beyond it: the limit error).</li>
 *   <li>{@code tagSeries}/{@code tagMultiSeries}: Tally registers a series when its first point arrives, so these
 *       only validate and canonicalise the paths and return the canonical names; the series appears in tag
 *       queries once data for it is received.</li>
 *   <li>Auto-complete limits above {@code query.max-find-results} are lowered to it, and {@code /tags} filters
 *       the first {@code query.max-find-results} tag names.</li>
 * </ul>
 */
public final class TagsApi {
    /** graphite-web's {@code TAGDB_AUTOCOMPLETE_LIMIT}. */
    public static final int DEFAULT_AUTOCOMPLETE_LIMIT = 100;
    /** For {@link #limit}: no {@code limit} parameter means no limit. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    private final StorageReader reader;
    private final QueryLimits limits;

    public TagsApi(StorageReader reader, QueryLimits limits) {
        this.reader = reader;
        this.limits = limits;
    }

    /**
     * {@code /tags/findSeries}: the canonical names of the series matching every expression, sorted.
     *
     * @throws BadRequestException without expressions, for a malformed one, or when all match the empty value
     */
    public JsonWriter findSeries(List<String> expressions, MetricsApi.Out out) {
        checkExpressions(expressions);
        List<String> names = new ArrayList<>(seriesByTags(expressions));
        names.sort(null);
        return strings(names, out);
    }

    /** {@code /tags}: {@code [{"tag": name}, ...]} sorted, those matching {@code filter} (a start-anchored regex). */
    public JsonWriter listTags(String filter, int limit, MetricsApi.Out out) {
        Pattern f = filter(filter);
        List<String> all = storage(() -> reader.tagNames("", List.of(), limits.maxFindResults()));
        JsonWriter w = open(out).beginArray();
        int n = 0;
        Matcher m = f == null ? null : f.matcher("");
        for (String tag : all) {
            if (n >= limit) {
                break;
            }
            if (m == null || m.reset(tag).lookingAt()) {
                w.beginObject().name("tag").value(tag).endObject();
                n++;
            }
        }
        return close(w.endArray(), out);
    }

    /**
     * {@code /tags/<tag>}: {@code {"tag": tag, "values": [{"value": v, "count": series}, ...]}}, values sorted and
     * matching {@code filter}; JSON {@code null} for a tag no series carries. With {@code pretty}, keys are sorted
     * as graphite-web's {@code sort_keys} does ({@code count} before {@code value}).
     */
    public JsonWriter tagDetails(String tag, String filter, int limit, MetricsApi.Out out) {
        Pattern f = filter(filter);
        TreeMap<String, Integer> counts = new TreeMap<>();
        if (validTagName(tag)) {
            List<String> carrying = seriesByTags(List.of(tag + "!="));
            String key = ";" + tag + "=";
            boolean isName = tag.equals("name");
            for (String series : carrying) {
                String v = isName ? nameOf(series) : valueOf(series, key);
                if (v != null) {
                    counts.merge(v, 1, Integer::sum);
                }
            }
        }
        JsonWriter w = open(out);
        if (counts.isEmpty()) {
            return close(w.nullValue(), out);
        }
        w.beginObject().name("tag").value(tag).name("values").beginArray();
        int n = 0;
        Matcher m = f == null ? null : f.matcher("");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (n >= limit) {
                break;
            }
            if (m != null && !m.reset(e.getKey()).lookingAt()) {
                continue;
            }
            w.beginObject();
            if (out.pretty()) {
                w.name("count").value(e.getValue()).name("value").value(e.getKey());
            } else {
                w.name("value").value(e.getKey()).name("count").value(e.getValue());
            }
            w.endObject();
            n++;
        }
        return close(w.endArray().endObject(), out);
    }

    /**
     * {@code /tags/autoComplete/tags}: tag names starting with {@code prefix}, sorted, at most {@code limit}; with
     * expressions, the tags of the matching series other than those the expressions name.
     */
    public JsonWriter autoCompleteTags(List<String> expressions, String prefix, int limit, MetricsApi.Out out) {
        if (!expressions.isEmpty()) {
            checkExpressions(expressions);
        }
        int max = Math.min(limit, limits.maxFindResults());
        return strings(storage(() -> reader.tagNames(prefix == null ? "" : prefix, expressions, max)), out);
    }

    /**
     * {@code /tags/autoComplete/values}: values of {@code tag} starting with {@code prefix}, sorted, at most
     * {@code limit}; with expressions, the values carried by the matching series.
     *
     * @throws BadRequestException when {@code tag} is missing or empty
     */
    public JsonWriter autoCompleteValues(String tag, List<String> expressions, String prefix, int limit,
                                         MetricsApi.Out out) {
        if (tag == null || tag.isEmpty()) {
            throw new BadRequestException("no tag specified");
        }
        if (!expressions.isEmpty()) {
            checkExpressions(expressions);
        }
        int max = Math.min(limit, limits.maxFindResults());
        return strings(storage(() -> reader.tagValues(tag, prefix == null ? "" : prefix, expressions, max)), out);
    }

    /**
     * {@code /tags/tagSeries}: the canonical form of {@code path} as a JSON string.
     *
     * @throws BadRequestException when the path is missing or not a valid (tagged) metric name
     */
    public JsonWriter tagSeries(String path, MetricsApi.Out out) {
        if (path == null || path.isEmpty()) {
            throw new BadRequestException("no path specified");
        }
        return close(open(out).value(canonical(path)), out);
    }

    /**
     * {@code /tags/tagMultiSeries}: the canonical forms of {@code paths}, in request order.
     *
     * @throws BadRequestException without paths, or naming the first invalid one
     */
    public JsonWriter tagMultiSeries(List<String> paths, MetricsApi.Out out) {
        if (paths.isEmpty()) {
            throw new BadRequestException("no paths specified");
        }
        List<String> canonical = new ArrayList<>(paths.size());
        for (String p : paths) {
            canonical.add(canonical(p));
        }
        return strings(canonical, out);
    }

    /** {@code {"error": message}}, graphite-web's error body for the tags endpoints. */
    public static JsonWriter error(String message) {
        return FunctionsApi.error(message);
    }

    /**
     * A {@code limit} parameter: {@code fallback} when absent or empty.
     *
     * @throws BadRequestException when it is not a non-negative integer
     */
    public static int limit(String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException("Invalid value for 'limit' parameter: '" + raw + "' (expected an integer)");
        }
        if (v < 0) {
            throw new BadRequestException("Invalid value for 'limit' parameter: " + v + " (must be >= 0)");
        }
        return v;
    }

    // ---- helpers ----

    /** graphite-web's rules: at least one expression, each well-formed, at least one requiring a value. */
    static void checkExpressions(List<String> expressions) {
        if (expressions.isEmpty()) {
            throw new BadRequestException("no tag expressions specified (expr=tag=value, tag!=value, tag=~regex "
                    + "or tag!=~regex; repeat expr for more)");
        }
        boolean selective = false;
        for (String e : expressions) {
            TagExpression te;
            try {
                te = TagExpression.parse(e);
            } catch (IllegalArgumentException bad) {
                throw new BadRequestException(bad.getMessage());
            }
            selective |= !te.matchesEmpty();
        }
        if (!selective) {
            throw new BadRequestException("at least one tag expression must require a non-empty value: "
                    + String.join(", ", expressions) + " all match series that lack the tag");
        }
    }

    /**
     * {@code findByTags} bounded by {@code query.max-find-results}; the storage's limit error is relabelled with
     * that setting (the index names {@code query.max-series}, the render limit, whatever limit it was given).
     */
    private List<String> seriesByTags(List<String> expressions) {
        try {
            return storage(() -> reader.findByTags(expressions, limits.maxFindResults()));
        } catch (LimitExceededException e) {
            throw new LimitExceededException("series matched by the tag expressions", limits.maxFindResults(),
                    "query.max-find-results");
        }
    }

    /** Runs a storage call, answering its rejection of the input (IllegalArgumentException) as a bad request. */
    private static <T> T storage(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Pattern filter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        try {
            return PythonRegex.compile(filter);
        } catch (PatternSyntaxException e) {
            throw new BadRequestException("Invalid value for 'filter' parameter: " + e.getDescription()
                    + " in regular expression '" + filter + "'");
        }
    }

    private static String canonical(String path) {
        try {
            return MetricName.canonicalize(path);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /** A tag name that a {@code tag!=} expression can carry (no {@code ; ! =}, not empty). */
    private static boolean validTagName(String tag) {
        if (tag == null || tag.isEmpty()) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == ';' || c == '!' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** The {@code name} tag of a canonical series name: the part before the first {@code ;}, or all of it. */
    static String nameOf(String canonical) {
        int semi = canonical.indexOf(';');
        return semi < 0 ? canonical : canonical.substring(0, semi);
    }

    /**
     * The value of the tag whose segment prefix is {@code key} ({@code ;tag=}) in a canonical name, or null. Values
     * cannot contain {@code ;}, so the first occurrence of the key is the segment.
     */
    static String valueOf(String canonical, String key) {
        int at = canonical.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int end = canonical.indexOf(';', from);
        return canonical.substring(from, end < 0 ? canonical.length() : end);
    }

    private static JsonWriter strings(List<String> values, MetricsApi.Out out) {
        JsonWriter w = open(out).beginArray();
        for (String v : values) {
            w.value(v);
        }
        return close(w.endArray(), out);
    }

    private static JsonWriter open(MetricsApi.Out out) {
        JsonWriter w = new JsonWriter(out.pretty(), out.ensureAscii());
        if (out.jsonp() != null) {
            w.raw(out.jsonp()).raw("(");
        }
        return w;
    }

    private static JsonWriter close(JsonWriter w, MetricsApi.Out out) {
        if (out.jsonp() != null) {
            w.raw(")");
        }
        return w;
    }
}
