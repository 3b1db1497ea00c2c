package io.tally.engine.storage;

import io.tally.engine.config.AggregationMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A slow, obvious model of one whisper file for differential tests: each archive a map from aligned timestamp to
 * value; {@code update} follows whisper's file_update_many for a single point (route by age, align, write, then
 * propagate with xFilesFactor), {@code fetch} follows file_fetch / __archive_fetch. Ring-buffer wrap-around is
 * not modelled: the engine expires by time instead, and reads never reach beyond an archive's retention.
 */
final class WhisperModel {
    final int[] steps;
    final int[] points;
    final AggregationMethod method;
    final double xff;
    final List<TreeMap<Long, Double>> archives = new ArrayList<>();

    WhisperModel(int[] steps, int[] points, AggregationMethod method, double xff) {
        this.steps = steps;
        this.points = points;
        this.method = method;
        this.xff = (float) xff;
        for (int i = 0; i < steps.length; i++) {
            archives.add(new TreeMap<>());
        }
    }

    long retention(int i) {
        return (long) steps[i] * points[i];
    }

    void update(long ts, double value, long now) {
        long age = now - ts;
        int a = 0;
        while (a < steps.length && retention(a) < age) {
            a++;
        }
        if (a == steps.length) {
            return;
        }
        long t = ts - Math.floorMod(ts, steps[a]);
        archives.get(a).put(t, value);
        for (int lower = a + 1; lower < steps.length; lower++) {
            long interval = t - Math.floorMod(t, steps[lower]);
            int n = steps[lower] / steps[lower - 1];
            double[] vals = new double[n];
            int known = 0;
            for (int i = 0; i < n; i++) {
                Double v = archives.get(lower - 1).get(interval + (long) i * steps[lower - 1]);
                vals[i] = v == null ? Double.NaN : v;
                if (v != null) {
                    known++;
                }
            }
            if (known == 0 || (double) known / n < xff) {
                break;
            }
            archives.get(lower).put(interval, method.aggregate(vals, 0, n));
        }
    }

    /** [start, end, step, values...] or null, exactly as whisper's fetch shapes it. */
    Object[] fetch(long from, long until, long now) {
        long oldest = now - retention(steps.length - 1);
        if (from > now || until < oldest) {
            return null;
        }
        from = Math.max(from, oldest);
        until = Math.min(until, now);
        int a = 0;
        while (a < steps.length - 1 && retention(a) < now - from) {
            a++;
        }
        int step = steps[a];
        long fi = from - Math.floorMod(from, step) + step;
        long ui = until - Math.floorMod(until, step) + step;
        if (fi == ui) {
            ui += step;
        }
        double[] values = new double[(int) ((ui - fi) / step)];
        for (int i = 0; i < values.length; i++) {
            Double v = archives.get(a).get(fi + (long) i * step);
            values[i] = v == null ? Double.NaN : v;
        }
        return new Object[] {fi, ui, (long) step, values};
    }
}
