package io.tally.engine.rules;

import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.DoubleHistogramIterationValue;

import java.util.Arrays;

/**
 * The values one aggregation interval received, for a percentile method. Not thread-safe: the {@link Aggregator}
 * uses it under the lock of the stripe that owns the interval.
 *
 * <p>Exact mode: up to {@code rawLimit} values are kept as they arrive, and {@link #quantile} is carbon's
 * computation to the bit (sort, {@code rank = q × (n - 1)}, linear interpolation between the two closest ranks).
 *
 * <p>Approximate mode, entered when one more value arrives than {@code rawLimit}, so that memory stays bounded
 * however busy an interval is: the raw values are moved into HdrHistogram {@link DoubleHistogram}s with 3
 * significant digits — one for positive values, one for the magnitudes of negative values (DoubleHistogram records
 * only non-negative values) — plus counts of zeros and of infinities. The value at a rank is then the middle of the
 * histogram bucket holding that rank, clamped to the exact minimum and maximum, so each ranked value is within about
 * 0.1% (relative) of the true one, and the interpolated result within the same bound of carbon's. A histogram covers
 * a dynamic range of about 2^46 between its smallest and largest value; values whose magnitude is too small to fit
 * next to much larger ones are counted as zeros (an absolute error below 2^-46 of the largest magnitude).
 */
final class ValueSketch {
    private static final int DIGITS = 3;

    private final int rawLimit;
    private double[] raw;
    private long count;
    private double min;
    private double max;
    // approximate mode only
    private final Side positive = new Side();
    private final Side negative = new Side();
    private long zeros;
    private long positiveInfinities;
    private long negativeInfinities;

    /** A histogram of magnitudes for one sign. */
    private static final class Side {
        DoubleHistogram histogram;
        /** Magnitudes at or below this count as zeros (raised when one did not fit the histogram's range). */
        double floor;

        long count() {
            return histogram == null ? 0 : histogram.getTotalCount();
        }
    }

    ValueSketch(int rawLimit) {
        if (rawLimit < 1) {
            throw new IllegalArgumentException("rawLimit must be at least 1");
        }
        this.rawLimit = rawLimit;
        this.raw = new double[Math.min(16, rawLimit)];
    }

    /** Adds a value (not NaN). */
    void add(double v) {
        if (count == 0 || v < min) {
            min = v;
        }
        if (count == 0 || v > max) {
            max = v;
        }
        count++;
        if (raw != null) {
            int n = (int) count - 1;
            if (n < rawLimit) {
                if (n == raw.length) {
                    raw = Arrays.copyOf(raw, (int) Math.min((long) n * 2, rawLimit));
                }
                raw[n] = v;
                return;
            }
            for (int i = 0; i < n; i++) {
                record(raw[i]);
            }
            raw = null;
        }
        record(v);
    }

    long count() {
        return count;
    }

    boolean isExact() {
        return raw != null;
    }

    /**
     * carbon's percentile: values sorted, {@code rank = q × (n - 1)}, the value at the rank, interpolated linearly
     * between the neighbouring ranks when it falls between them. NaN when empty.
     */
    double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        double rank = q * (count - 1);
        long left = (long) Math.floor(rank);
        long right = (long) Math.ceil(rank);
        if (raw != null) {
            Arrays.sort(raw, 0, (int) count);
            if (left == right) {
                return raw[(int) left];
            }
            return raw[(int) left] * (right - rank) + raw[(int) right] * (rank - left);
        }
        double l = valueAtRank(left);
        if (left == right) {
            return l;
        }
        double r = valueAtRank(right);
        return l * (right - rank) + r * (rank - left);
    }

    /** Forgets everything, back to exact mode (keeping the raw array for reuse). */
    void clear() {
        if (raw == null) {
            raw = new double[Math.min(16, rawLimit)];
        }
        count = 0;
        positive.histogram = null;
        positive.floor = 0;
        negative.histogram = null;
        negative.floor = 0;
        zeros = 0;
        positiveInfinities = 0;
        negativeInfinities = 0;
    }

    private void record(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            positiveInfinities++;
        } else if (v == Double.NEGATIVE_INFINITY) {
            negativeInfinities++;
        } else if (v > 0) {
            recordMagnitude(positive, v);
        } else if (v < 0) {
            recordMagnitude(negative, -v);
        } else {
            zeros++;
        }
    }

    private void recordMagnitude(Side side, double m) {
        if (side.histogram == null) {
            side.histogram = new DoubleHistogram(DIGITS);
        }
        DoubleHistogram h = side.histogram;
        if (m <= side.floor) {
            zeros++;
            return;
        }
        try {
            h.recordValue(m);
            return;
        } catch (ArrayIndexOutOfBoundsException e) {
            // beyond the ~2^46 range one histogram covers: rare, only with extreme spreads of values
            if (m < h.getMinNonZeroValue()) {
                // too small next to the values recorded: count it as zero, and what is not larger too
                side.floor = Math.max(side.floor, 2 * m);
                zeros++;
                return;
            }
        }
        // too large: rebuild around the new maximum; old magnitudes that no longer fit count as zeros
        DoubleHistogram bigger = new DoubleHistogram(DIGITS);
        bigger.recordValue(m);
        for (DoubleHistogramIterationValue iv : h.recordedValues()) {
            double value = h.medianEquivalentValue(iv.getValueIteratedTo());
            long c = iv.getCountAtValueIteratedTo();
            try {
                bigger.recordValueWithCount(value, c);
            } catch (ArrayIndexOutOfBoundsException tooSmall) {
                side.floor = Math.max(side.floor, 2 * value);
                zeros += c;
            }
        }
        side.histogram = bigger;
    }

    /** The approximate value of 0-based rank {@code k} in sorted order. */
    private double valueAtRank(long k) {
        if (k == 0) {
            return min;
        }
        if (k == count - 1) {
            return max;
        }
        long r = k;
        if (r < negativeInfinities) {
            return Double.NEGATIVE_INFINITY;
        }
        r -= negativeInfinities;
        long neg = negative.count();
        if (r < neg) {
            return clamp(-magnitudeAtRank(negative.histogram, neg - 1 - r));
        }
        r -= neg;
        if (r < zeros) {
            return clamp(0.0);
        }
        r -= zeros;
        long pos = positive.count();
        if (r < pos) {
            return clamp(magnitudeAtRank(positive.histogram, r));
        }
        return Double.POSITIVE_INFINITY;
    }

    private double clamp(double v) {
        return Math.max(min, Math.min(max, v));
    }

    private static double magnitudeAtRank(DoubleHistogram h, long k) {
        long seen = 0;
        for (DoubleHistogramIterationValue iv : h.recordedValues()) {
            seen += iv.getCountAtValueIteratedTo();
            if (seen > k) {
                return h.medianEquivalentValue(iv.getValueIteratedTo());
            }
        }
        return h.getMaxValue();
    }
}
