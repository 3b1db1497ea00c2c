package io.tally.query;

import io.tally.query.expr.Series;

import java.util.List;
import java.util.Map;

/**
 * Writes graphite-web's {@code format=json} render answer: {@code [{"target": name, "tags": {...}, "datapoints":
 * [[value, ts], ...]}]} with Python's separators, NaN as {@code null} and infinities as {@code ±1e9999}. Timestamps
 * are {@code start + i * step * valuesPerPoint}; a series shows as many points as it has values with a timestamp in
 * {@code [start, end]}.
 */
public final class RenderJson {
    private RenderJson() {
    }

    /**
     * @param noNullPoints drop null points, and series left without points
     * @param jsonp        callback to wrap the answer in, or null
     */
    public static JsonWriter write(List<Series> series, boolean noNullPoints, boolean pretty, String jsonp) {
        long estimate = 64;
        for (Series s : series) {
            estimate += 96 + 2L * s.name().length() + 28L * s.size();
        }
        JsonWriter w = new JsonWriter((int) Math.min(estimate, 1 << 30), pretty, true);
        if (jsonp != null) {
            w.raw(jsonp).raw("(");
        }
        w.beginArray();
        for (Series s : series) {
            int count = s.outputCount();
            if (noNullPoints && !hasValue(s, count)) {
                continue;
            }
            w.beginObject();
            w.name("target").value(s.name());
            w.name("tags").beginObject();
            for (Map.Entry<String, String> e : s.tags().entrySet()) {
                w.name(e.getKey()).value(e.getValue());
            }
            w.endObject();
            w.name("datapoints").beginArray();
            double[] values = s.values();
            long step = s.outputStep();
            for (int i = 0; i < count; i++) {
                double v = values[i];
                if (noNullPoints && Double.isNaN(v)) {
                    continue;
                }
                w.beginArray().value(v).value(s.start() + i * step).endArray();
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

    private static boolean hasValue(Series s, int count) {
        for (int i = 0; i < count; i++) {
            if (!Double.isNaN(s.values()[i])) {
                return true;
            }
        }
        return false;
    }
}
