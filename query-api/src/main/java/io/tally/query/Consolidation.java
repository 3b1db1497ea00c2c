package io.tally.query;

import io.tally.query.expr.ConsolidationFunction;
import io.tally.query.expr.Series;

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
 * {@code nudge / step - 1} values are dropped and the rest folded in buckets of {@code valuesPerPoint} with the
 * series' consolidation function and xFilesFactor; the number of points is capped by the timestamps
 * {@code range(start, end + 1, secondsPerPoint)}. {@code maxDataPoints == 1} folds each whole series into one
 * value at its start.
 */
public final class Consolidation {

    private Consolidation() {
    }

    /**
     * @param maxDataPoints {@code <= 0} for none
     * @return the series to write, consolidated ones with {@code valuesPerPoint > 1}
     */
    public static List<Series> apply(List<Series> series, int maxDataPoints) {
        if (maxDataPoints <= 0 || series.isEmpty()) {
            return series;
        }
        List<Series> out = new ArrayList<>(series.size());
        if (maxDataPoints == 1) {
            for (Series s : series) {
                int n = s.size();
                if (n <= 1) {
                    out.add(s);
                } else {
                    double v = s.consolidation().apply(s.values(), 0, n, n, s.xFilesFactor());
                    out.add(s.toBuilder().values(new double[]{v}).valuesPerPoint(n).build());
                }
            }
            return out;
        }
        long minStart = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (Series s : series) {
            minStart = Math.min(minStart, s.start());
            maxEnd = Math.max(maxEnd, s.end());
        }
        long timeRange = maxEnd - minStart;
        for (Series s : series) {
            double points = (double) timeRange / s.step();
            if (maxDataPoints < points) {
                out.add(consolidate(s, (long) Math.ceil(points / maxDataPoints)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    static Series consolidate(Series s, long valuesPerPoint) {
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
        ConsolidationFunction f = s.consolidation();
        double[] values = new double[count];
        for (int b = 0; b < count; b++) {
            int from = drop + b * vpp;
            int n = Math.min(vpp, raw.length - from);
            values[b] = f.apply(raw, from, n, vpp, s.xFilesFactor());
        }
        return s.toBuilder().start(newStart).values(values).valuesPerPoint(vpp).build();
    }
}
