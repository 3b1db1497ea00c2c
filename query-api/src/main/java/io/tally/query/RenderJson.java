package io.tally.query;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes graphite-web's {@code format=json} render answer: {@code [{"target": name, "tags": {...}, "datapoints":
 * [[value, ts], ...]}]} with Python's separators, NaN as {@code null} and infinities as {@code ±1e9999}.
 */
public final class RenderJson {
    private RenderJson() {
    }

    /**
     * @param noNullPoints drop null points, and series left without points
     * @param jsonp        callback to wrap the answer in, or null
     */
    public static JsonWriter write(List<Consolidation.Points> series, boolean noNullPoints, boolean pretty,
                                   String jsonp) {
        long estimate = 64;
        for (Consolidation.Points p : series) {
            estimate += 96 + 2L * p.name().length() + 28L * p.count();
        }
        JsonWriter w = new JsonWriter((int) Math.min(estimate, 1 << 30), pretty, true);
        if (jsonp != null) {
            w.raw(jsonp).raw("(");
        }
        w.beginArray();
        for (Consolidation.Points p : series) {
            if (noNullPoints && !hasValue(p)) {
                continue;
            }
            w.beginObject();
            w.name("target").value(p.name());
            w.name("tags");
            writeTags(w, p.name());
            w.name("datapoints").beginArray();
            double[] values = p.values();
            for (int i = 0; i < p.count(); i++) {
                double v = values[i];
                if (noNullPoints && Double.isNaN(v)) {
                    continue;
                }
                w.beginArray().value(v).value(p.timestamp(i)).endArray();
            }
            w.endArray();
            w.endObject();
        }
        w.endArray();
        if (jsonp != null) {
            w.raw(")");
        }
        return w;
    }

    private static boolean hasValue(Consolidation.Points p) {
        for (int i = 0; i < p.count(); i++) {
            if (!Double.isNaN(p.values()[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tags of a series name as an object with sorted keys: {@code {"name": path}} for a plain path; for a
     * tagged name {@code path;k=v;...} every tag plus {@code name} = the part before the first {@code ;}.
     */
    static void writeTags(JsonWriter w, String name) {
        w.beginObject();
        int semi = name.indexOf(';');
        if (semi < 0) {
            w.name("name").value(name);
        } else {
            for (Map.Entry<String, String> e : parseTags(name).entrySet()) {
                w.name(e.getKey()).value(e.getValue());
            }
        }
        w.endObject();
    }

    /** Tags of {@code path;k=v;...}, sorted by key; segments without {@code =} or with an empty key are skipped. */
    static Map<String, String> parseTags(String name) {
        Map<String, String> tags = new TreeMap<>();
        int semi = name.indexOf(';');
        if (semi < 0) {
            tags.put("name", name);
            return tags;
        }
        int p = semi + 1;
        while (p <= name.length()) {
            int next = name.indexOf(';', p);
            if (next < 0) {
                next = name.length();
            }
            int eq = name.indexOf('=', p);
            if (eq > p && eq < next) {
                tags.put(name.substring(p, eq), name.substring(eq + 1, next));
            }
            p = next + 1;
        }
        tags.put("name", name.substring(0, semi));
        return tags;
    }
}
