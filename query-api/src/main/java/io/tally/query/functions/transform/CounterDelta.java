package io.tally.query.functions.transform;

/**
 * graphite's {@code _nonNegativeDelta} over a whole series: deltas of a counter, with wraps resolved by
 * {@code maxValue}/{@code minValue}. Values outside {@code [minValue, maxValue]} are null and reset the previous
 * value; a null resets it too, so the point after a gap is null; a decrease without limits is null.
 */
final class CounterDelta {
    private CounterDelta() {
    }

    /** @param maxValue NaN for none; @param minValue NaN for none; @param divisor 1, or the step for a rate */
    static double[] deltas(double[] v, double maxValue, double minValue, double divisor, boolean roundRate) {
        double[] out = new double[v.length];
        double prev = Double.NaN;
        for (int i = 0; i < v.length; i++) {
            double val = v[i];
            double delta;
            if (!Double.isNaN(val) && ((!Double.isNaN(maxValue) && val > maxValue)
                    || (!Double.isNaN(minValue) && val < minValue))) {
                delta = Double.NaN;
                prev = Double.NaN;
                out[i] = delta;
                continue;
            }
            if (Double.isNaN(prev) || Double.isNaN(val)) {
                delta = Double.NaN;
            } else if (val >= prev) {
                delta = val - prev;
            } else if (!Double.isNaN(maxValue)) {
                delta = maxValue + 1 + val - prev - (Double.isNaN(minValue) ? 0 : minValue);
            } else if (!Double.isNaN(minValue)) {
                delta = val - minValue;
            } else {
                delta = Double.NaN;
            }
            prev = val;
            if (!Double.isNaN(delta) && roundRate) {
                delta = io.tally.query.expr.SeriesMath.round(delta / divisor, 6);
            }
            out[i] = delta;
        }
        return out;
    }
}
