package io.tally.query.expr;

import io.tally.engine.config.AggregationMethod;

import java.util.Locale;

/**
 * How {@code maxDataPoints} folds a bucket of raw values into one (graphite-web's {@code consolidateBy} names, plus
 * the whisper-only {@code absmax}/{@code absmin} so every storage aggregation has a consolidation of the same name).
 */
public enum ConsolidationFunction {
    SUM, AVERAGE, AVG_ZERO, MIN, MAX, FIRST, LAST, ABSMAX, ABSMIN;

    /** {@link #graphiteName}: asked once per fetched series, so not lower-cased each time. */
    private final String graphiteName = name().toLowerCase(Locale.ROOT);

    /** The consolidation matching a series' storage aggregation (the default when no {@code consolidateBy}). */
    public static ConsolidationFunction of(AggregationMethod m) {
        if (m == null) {
            return AVERAGE;
        }
        return switch (m) {
            case AVERAGE -> AVERAGE;
            case SUM -> SUM;
            case LAST -> LAST;
            case MAX -> MAX;
            case MIN -> MIN;
            case AVG_ZERO -> AVG_ZERO;
            case ABSMAX -> ABSMAX;
            case ABSMIN -> ABSMIN;
        };
    }

    /** graphite's names ({@code sum, average, avg, avg_zero, min, max, first, last}); null when unknown. */
    public static ConsolidationFunction parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "sum" -> SUM;
            case "average", "avg" -> AVERAGE;
            case "avg_zero" -> AVG_ZERO;
            case "min" -> MIN;
            case "max" -> MAX;
            case "first" -> FIRST;
            case "last" -> LAST;
            case "absmax" -> ABSMAX;
            case "absmin" -> ABSMIN;
            default -> null;
        };
    }

    public String graphiteName() {
        return graphiteName;
    }

    /**
     * Folds {@code values[from, from+n)} (NaN = null) the way graphite-web's consolidating generator does: null when
     * no value is known or {@code known / valuesPerPoint < xFilesFactor} (note: the full {@code valuesPerPoint}, even
     * for a partial last bucket); {@code avg_zero} divides by the bucket's size, counting nulls as zero.
     */
    public double apply(double[] values, int from, int n, int valuesPerPoint, double xFilesFactor) {
        int known = 0;
        double sum = 0;
        double first = Double.NaN;
        double last = Double.NaN;
        double min = Double.NaN;
        double max = Double.NaN;
        double abs = Double.NaN;
        for (int i = from; i < from + n; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (known == 0) {
                first = v;
                min = v;
                max = v;
                abs = v;
            } else {
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
                if ((this == ABSMAX && Math.abs(v) > Math.abs(abs)) || (this == ABSMIN && Math.abs(v) < Math.abs(abs))) {
                    abs = v;
                }
            }
            known++;
            sum += v;
            last = v;
        }
        if (known == 0 || (double) known / valuesPerPoint < xFilesFactor) {
            return Double.NaN;
        }
        return switch (this) {
            case SUM -> sum;
            case AVERAGE -> sum / known;
            case AVG_ZERO -> sum / n;
            case MIN -> min;
            case MAX -> max;
            case FIRST -> first;
            case LAST -> last;
            case ABSMAX, ABSMIN -> abs;
        };
    }
}
