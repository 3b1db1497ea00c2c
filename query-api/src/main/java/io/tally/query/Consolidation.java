package io.tally.query;

import io.tally.engine.api.SeriesData;

import java.util.ArrayList;
import java.util.List;

/**
 * graphite-web's {@code maxDataPoints} consolidation at serialisation time (spec §3.1.3), reproduced exactly,
 * including its "nudge": the first bucket starts at the next multiple of {@code secondsPerPoint} after the series
 * start, and the bucket labelled {@code T} holds the raw points from {@code T - step} onward, so bucket boundaries
 * do not move when a dashboard refreshes.
 *
 * <p>Per series, with {@code timeRange = max(end) - min(start)} over all series of the response:
 * {@code points = timeRange / step} (float); if {@code maxDataPoints < points}:
 * {@code valuesPerPoint = ceil(points / maxDataPoints)}, {@code secondsPerPoint = valuesPerPoint * step},
 * {@code nudge = secondsPerPoint + start % step - start % secondsPerPoint}, {@code start += nudge}, the first
 * {@code nudge / step - 1} values are dropped and the rest folded in buckets of {@code valuesPerPoint}; the number of
 * points is capped by the timestamps {@code range(start, end + 1, secondsPerPoint)}. {@code maxDataPoints == 1}
 * folds each whole series into one value at its start.
 */
public final class Consolidation {

    /** One series as it is written: values for timestamps {@code start + i * step}, NaN = null. */
    public record Points(String name, long start, long step, double[] values, int count) {
        public long timestamp(int i) {
            return start + i * step;
        }
    }

    private Consolidation() {
    }

    /**
     * @param maxDataPoints  {@code <= 0} for none
     * @param function       consolidation to use, or null for each series' own storage aggregation
     * @param xFilesFactor   the request's {@code xFilesFactor} (graphite's default 0)
     */
    public static List<Points> apply(List<SeriesData> series, int maxDataPoints, ConsolidationFunction function,
                                     double xFilesFactor) {
        List<Points> out = new ArrayList<>(series.size());
        if (maxDataPoints <= 0 || series.isEmpty()) {
            for (SeriesData s : series) {
                out.add(raw(s));
            }
            return out;
        }
        if (maxDataPoints == 1) {
            for (SeriesData s : series) {
                int n = s.values().length;
                if (n <= 1) {
                    out.add(raw(s));
                } else {
                    double v = fn(function, s).apply(s.values(), 0, n, n, xFilesFactor);
                    out.add(new Points(s.name(), s.start(), s.step() * n, new double[]{v}, 1));
                }
            }
            return out;
        }
        long minStart = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (SeriesData s : series) {
            minStart = Math.min(minStart, s.start());
            maxEnd = Math.max(maxEnd, s.end());
        }
        long timeRange = maxEnd - minStart;
        for (SeriesData s : series) {
            double points = (double) timeRange / s.step();
            if (maxDataPoints < points) {
                out.add(consolidate(s, (long) Math.ceil(points / maxDataPoints), fn(function, s), xFilesFactor));
            } else {
                out.add(raw(s));
            }
        }
        return out;
    }

    static Points consolidate(SeriesData s, long valuesPerPoint, ConsolidationFunction f, double xFilesFactor) {
        long step = s.step();
        long secondsPerPoint = valuesPerPoint * step;
        long start = s.start();
        long nudge = secondsPerPoint + Math.floorMod(start, step) - Math.floorMod(start, secondsPerPoint);
        long newStart = start + nudge;
        double[] raw = s.values();
        int drop = (int) Math.min(raw.length, Math.max(0, nudge / step - 1));
        int remaining = raw.length - drop;
        int vpp = (int) Math.min(Integer.MAX_VALUE, valuesPerPoint);
        int buckets = (int) ((remaining + (long) vpp - 1) / vpp);
        long timestamps = s.end() >= newStart ? (s.end() - newStart) / secondsPerPoint + 1 : 0;
        int count = (int) Math.min(buckets, timestamps);
        double[] values = new double[count];
        for (int b = 0; b < count; b++) {
            int from = drop + b * vpp;
            int n = Math.min(vpp, raw.length - from);
            values[b] = f.apply(raw, from, n, vpp, xFilesFactor);
        }
        return new Points(s.name(), newStart, secondsPerPoint, values, count);
    }

    private static Points raw(SeriesData s) {
        return new Points(s.name(), s.start(), s.step(), s.values(), s.values().length);
    }

    private static ConsolidationFunction fn(ConsolidationFunction override, SeriesData s) {
        return override != null ? override : ConsolidationFunction.of(s.aggregation());
    }
}
