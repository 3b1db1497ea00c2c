package io.tally.query.expr;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * graphite's aggregation functions ({@code aggFunc} parameters: aggregate, summarize, groupByNode callbacks,
 * highest/lowest, sortBy, movingWindow, filterSeries, legendValue). Each reduces a window of values where NaN is
 * null, with graphite's null rules: nulls are skipped and an all-null window gives null, except {@code count}
 * (0), {@code avg_zero} (nulls count as 0) and {@code multiply} (null if any value is null).
 */
public enum AggFunc {
    AVERAGE("average"),
    AVG_ZERO("avg_zero"),
    MEDIAN("median"),
    SUM("sum"),
    MIN("min"),
    MAX("max"),
    DIFF("diff"),
    STDDEV("stddev"),
    COUNT("count"),
    RANGE("range"),
    MULTIPLY("multiply"),
    LAST("last");

    /** Names accepted as aggFunc, graphite's order, then the aliases. */
    public static final List<String> NAMES = List.of("average", "avg_zero", "median", "sum", "min", "max", "diff",
            "stddev", "count", "range", "multiply", "last", "rangeOf", "avg", "total", "current");

    private final String graphiteName;

    AggFunc(String graphiteName) {
        this.graphiteName = graphiteName;
    }

    public String graphiteName() {
        return graphiteName;
    }

    /**
     * The function for a name or alias ({@code avg}, {@code total}, {@code current}, {@code rangeOf}); null if
     * unknown.
     */
    public static AggFunc lookup(String name) {
        if (name == null) {
            return null;
        }
        for (AggFunc f : values()) {
            if (f.graphiteName.equals(name)) {
                return f;
            }
        }
        return switch (name) {
            case "rangeOf" -> RANGE;
            case "avg" -> AVERAGE;
            case "total" -> SUM;
            case "current" -> LAST;
            default -> null;
        };
    }

    /** Reduces {@code v[from, to)}; NaN stands for null both ways. */
    public double apply(double[] v, int from, int to) {
        int n = 0;
        double sum = 0;
        double min = Double.NaN;
        double max = Double.NaN;
        double first = Double.NaN;
        double last = Double.NaN;
        boolean anyNull = false;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (Double.isNaN(x)) {
                anyNull = true;
                continue;
            }
            if (n == 0) {
                first = x;
                min = x;
                max = x;
            } else {
                if (x < min) {
                    min = x;
                }
                if (x > max) {
                    max = x;
                }
            }
            n++;
            sum += x;
            last = x;
        }
        return switch (this) {
            case AVERAGE -> n == 0 ? Double.NaN : sum / n;
            case AVG_ZERO -> to > from ? sum / (to - from) : Double.NaN;
            case MEDIAN -> n == 0 ? Double.NaN : median(v, from, to, n);
            case SUM -> n == 0 ? Double.NaN : sum;
            case MIN -> min;
            case MAX -> max;
            case DIFF -> n == 0 ? Double.NaN : diff(v, from, to, first);
            case STDDEV -> n == 0 ? Double.NaN : stddev(v, from, to, sum / n, n);
            case COUNT -> n;
            case RANGE -> n == 0 ? Double.NaN : max - min;
            case MULTIPLY -> anyNull || to == from ? Double.NaN : product(v, from, to);
            case LAST -> last;
        };
    }

    /** Reduces a whole array. */
    public double apply(double[] v) {
        return apply(v, 0, v.length);
    }

    private static double median(double[] v, int from, int to, int n) {
        double[] known = new double[n];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(v[i])) {
                known[k++] = v[i];
            }
        }
        Arrays.sort(known);
        int mid = n / 2;
        return n % 2 == 0 ? (known[mid - 1] + known[mid]) / 2 : known[mid];
    }

    private static double diff(double[] v, int from, int to, double first) {
        // Python: sum([first] + [-x for x in rest]), evaluated left to right
        double acc = 0;
        boolean seenFirst = false;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (Double.isNaN(x)) {
                continue;
            }
            if (!seenFirst) {
                acc += first;
                seenFirst = true;
            } else {
                acc += -x;
            }
        }
        return acc;
    }

    private static double stddev(double[] v, int from, int to, double avg, int n) {
        double acc = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (!Double.isNaN(x)) {
                acc += (x - avg) * (x - avg);
            }
        }
        return Math.sqrt(acc / n);
    }

    private static double product(double[] v, int from, int to) {
        double p = v[from];
        for (int i = from + 1; i < to; i++) {
            p *= v[i];
        }
        return p;
    }

    @Override
    public String toString() {
        return graphiteName.toLowerCase(Locale.ROOT);
    }
}
