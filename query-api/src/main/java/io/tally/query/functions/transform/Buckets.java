package io.tally.query.functions.transform;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;

/**
 * graphite's {@code _summarizeValues}: folds a series into buckets of {@code interval} seconds starting at
 * {@code newStart} while {@code bucketStart < newEnd}; a bucket holds the points with timestamps in
 * {@code [b, b + interval)} and is null unless its known values reach the series' xFilesFactor of
 * {@code interval / step} expected points.
 */
final class Buckets {
    /** The bucket values, and where the last bucket ended. */
    record Result(double[] values, long alignedEnd) {
    }

    private Buckets() {
    }

    static Result summarize(Series s, AggFunc f, long interval, long newStart, long newEnd) {
        double[] v = s.values();
        long step = s.step();
        long timestamps = s.end() > s.start() ? (s.end() - s.start() + step - 1) / step : 0;
        int numPoints = (int) Math.min(timestamps, v.length);
        double intervalPoints = (double) interval / step;
        long buckets = newEnd > newStart ? (newEnd - newStart + interval - 1) / interval : 0;
        double[] out = new double[(int) buckets];
        int i = 0;
        long t = newStart;
        int b = 0;
        while (t < newEnd) {
            int first = i;
            int known = 0;
            while (i < numPoints && s.start() + i * step < t + interval) {
                long ts = s.start() + i * step;
                if (ts <= t) {
                    first = i;
                }
                if (ts >= t && !Double.isNaN(v[i])) {
                    known++;
                }
                i++;
            }
            out[b++] = SeriesMath.xff(known, intervalPoints, s.xFilesFactor()) ? f.apply(v, first, i) : Double.NaN;
            t += interval;
        }
        return new Result(out, t);
    }
}
