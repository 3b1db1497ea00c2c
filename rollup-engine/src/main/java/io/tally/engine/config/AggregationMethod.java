package io.tally.engine.config;

import java.util.Locale;

/**
 * whisper's archive-to-archive aggregation methods, with whisper's type codes. {@link #aggregate} receives the
 * slots of one coarse interval with NaN for unknown slots and at least one known value, and returns exactly what
 * whisper's {@code aggregate()} would.
 */
public enum AggregationMethod {
    AVERAGE(1), SUM(2), LAST(3), MAX(4), MIN(5), AVG_ZERO(6), ABSMAX(7), ABSMIN(8);

    public final int code;

    AggregationMethod(int code) {
        this.code = code;
    }

    public static AggregationMethod fromCode(int code) {
        for (AggregationMethod m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown aggregation method code " + code);
    }

    /** Parses whisper's names ({@code average, sum, last, max, min, avg_zero, absmax, absmin}); null if unknown. */
    public static AggregationMethod parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "average", "avg" -> AVERAGE;
            case "sum" -> SUM;
            case "last" -> LAST;
            case "max" -> MAX;
            case "min" -> MIN;
            case "avg_zero" -> AVG_ZERO;
            case "absmax" -> ABSMAX;
            case "absmin" -> ABSMIN;
            default -> null;
        };
    }

    public String graphiteName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Aggregates {@code slots[from, from+n)}, NaN = unknown. Returns NaN only when no slot is known. */
    public double aggregate(double[] slots, int from, int n) {
        int known = 0;
        double sum = 0;
        double last = Double.NaN;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        double absBest = Double.NaN;
        for (int i = from; i < from + n; i++) {
            double v = slots[i];
            if (Double.isNaN(v)) {
                continue;
            }
            known++;
            sum += v;
            last = v;
            if (v > max) {
                max = v;
            }
            if (v < min) {
                min = v;
            }
            if (Double.isNaN(absBest)
                    || (this == ABSMAX && Math.abs(v) > Math.abs(absBest))
                    || (this == ABSMIN && Math.abs(v) < Math.abs(absBest))) {
                absBest = v;
            }
        }
        if (known == 0) {
            return Double.NaN;
        }
        return switch (this) {
            case AVERAGE -> sum / known;
            case SUM -> sum;
            case LAST -> last;
            case MAX -> max;
            case MIN -> min;
            case AVG_ZERO -> sum / n;
            case ABSMAX, ABSMIN -> absBest;
        };
    }
}
