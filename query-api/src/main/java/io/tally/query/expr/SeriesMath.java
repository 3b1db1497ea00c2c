package io.tally.query.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The helpers graphite-web's functions share, so each function holds only its arithmetic: step normalisation of
 * several series to their least common step ({@code normalize}), per-position aggregation with xFilesFactor
 * ({@code aggregate}), path-expression naming and common tags.
 *
 * <p>Normalisation is graphite-web's: every series is folded by {@code lcm / step} values with its own
 * consolidation function and xFilesFactor, counting buckets from its first value; the result starts at the
 * smallest start, ends at {@code max(end) - (max(end) - start) % lcm}, and series are then combined by position
 * (shorter ones padded with nulls), without re-aligning different start times.
 */
public final class SeriesMath {
    private SeriesMath() {
    }

    /** Series brought to a common step, and the common time range. */
    public record Normalized(List<Series> series, long start, long end, long step) {
        /** The longest value count among the series. */
        public int length() {
            int n = 0;
            for (Series s : series) {
                n = Math.max(n, s.size());
            }
            return n;
        }
    }

    /** Normalises a non-empty list; null for an empty one (graphite's NormalizeEmptyResultError). */
    public static Normalized normalize(List<Series> list) {
        if (list.isEmpty()) {
            return null;
        }
        long step = list.get(0).step();
        for (Series s : list) {
            step = lcm(step, s.step());
        }
        List<Series> out = new ArrayList<>(list.size());
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Series s : list) {
            out.add(consolidate(s, (int) (step / s.step())));
            start = Math.min(start, s.start());
            end = Math.max(end, s.end());
        }
        end -= Math.floorMod(end - start, step);
        return new Normalized(out, start, end, step);
    }

    /** Normalises several lists taken together (graphite's {@code normalize([a, b, ...])}). */
    public static Normalized normalize(List<Series> a, List<Series> b) {
        List<Series> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return normalize(all);
    }

    public static long lcm(long a, long b) {
        if (a == b) {
            return a;
        }
        return a / gcd(a, b) * b;
    }

    public static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Folds every {@code factor} consecutive values into one with the series' consolidation and xFilesFactor
     * (graphite's consolidating iterator); the step grows by the factor, start and end stay.
     */
    public static Series consolidate(Series s, int factor) {
        if (factor <= 1) {
            return s;
        }
        double[] v = s.values();
        int n = (v.length + factor - 1) / factor;
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            int from = b * factor;
            int len = Math.min(factor, v.length - from);
            out[b] = s.consolidation().apply(v, from, len, factor, s.xFilesFactor());
        }
        return s.toBuilder().values(out).step(s.step() * factor).build();
    }

    /** graphite's {@code xff(nonNull, total, xFilesFactor)}: at least one known value and enough of them. */
    public static boolean xff(int nonNull, double total, double xFilesFactor) {
        if (nonNull == 0 || total == 0) {
            return false;
        }
        return nonNull / total >= xFilesFactor;
    }

    /**
     * Per position across normalised series: the value of {@code f} over the row when the row passes
     * {@code xFilesFactor} (known values / series count), else null. Rows run to the longest series.
     */
    public static double[] aggregateRows(Normalized n, AggFunc f, double xFilesFactor) {
        return folds(f) ? streamRows(n, f, xFilesFactor) : tiledRows(n, f, xFilesFactor);
    }

    /**
     * The reductions that fold values one at a time, series by series: each series' array is read front to back
     * (the cache-friendly order for thousands of series) into per-position accumulators. Every position still
     * sees its values in series order, so sums add in the same order as {@link AggFunc#apply} (and Python's
     * {@code sum}) and results are bit-identical.
     */
    private static double[] streamRows(Normalized n, AggFunc f, double xFilesFactor) {
        RowFold fold = new RowFold(f);
        for (Series s : n.series()) {
            fold.add(s.values());
        }
        return fold.rows(n.length(), xFilesFactor);
    }

    /** Whether {@link Accumulator} (folding one series at a time) computes {@code f}. */
    public static boolean folds(AggFunc f) {
        return switch (f) {
            case SUM, AVERAGE, AVG_ZERO, MIN, MAX, RANGE, COUNT, LAST -> true;
            default -> false;
        };
    }

    /** Per-position state of a reduction that folds one series at a time ({@link #folds}). */
    private static final class RowFold {
        private final AggFunc f;
        private final boolean sum;
        private final boolean extremes;
        private int[] known = new int[0];
        private double[] acc; // sum, min or last; null for count
        private double[] max; // max and range only
        private int series;

        RowFold(AggFunc f) {
            this.f = f;
            this.sum = f == AggFunc.SUM || f == AggFunc.AVERAGE || f == AggFunc.AVG_ZERO;
            this.extremes = f == AggFunc.MIN || f == AggFunc.MAX || f == AggFunc.RANGE;
            this.acc = f == AggFunc.COUNT ? null : new double[0];
            this.max = f == AggFunc.MAX || f == AggFunc.RANGE ? new double[0] : null;
        }

        void add(double[] v) {
            series++;
            if (v.length > known.length) { // zeros are every accumulator's empty state
                known = Arrays.copyOf(known, v.length);
                acc = acc == null ? null : Arrays.copyOf(acc, v.length);
                max = max == null ? null : Arrays.copyOf(max, v.length);
            }
            int[] kn = known;
            double[] a = acc;
            double[] mx = max;
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                if (Double.isNaN(x)) {
                    continue;
                }
                if (sum) {
                    a[i] += x;
                } else if (extremes) {
                    if (kn[i] == 0) {
                        a[i] = x;
                        if (mx != null) {
                            mx[i] = x;
                        }
                    } else {
                        if (x < a[i]) {
                            a[i] = x;
                        }
                        if (mx != null && x > mx[i]) {
                            mx[i] = x;
                        }
                    }
                } else if (a != null) {
                    a[i] = x; // LAST
                }
                kn[i]++;
            }
        }

        /** The first {@code len} rows: the reduction where {@code xFilesFactor} of the series are known, else null. */
        double[] rows(int len, double xFilesFactor) {
            double[] out = new double[len];
            for (int i = 0; i < len; i++) {
                int k = i < known.length ? known[i] : 0;
                if (!xff(k, series, xFilesFactor)) {
                    out[i] = Double.NaN;
                    continue;
                }
                out[i] = switch (f) {
                    case SUM, LAST, MIN -> acc[i];
                    case AVERAGE -> acc[i] / k;
                    case AVG_ZERO -> acc[i] / series;
                    case MAX -> max[i];
                    case RANGE -> max[i] - acc[i];
                    case COUNT -> k;
                    default -> throw new IllegalStateException(f.name());
                };
            }
            return out;
        }
    }

    /**
     * graphite's {@code aggregate()} over series that arrive one at a time, for the reductions that {@link #folds}:
     * the same series, name and tags as {@link #aggregate(List, AggFunc, String, double)} gives for the whole list,
     * while holding only per-position accumulators. Series must share one step (no normalisation is needed then);
     * {@link #add} refuses one with another step, and the caller evaluates the list the usual way instead.
     * Not thread-safe.
     */
    public static final class Accumulator {
        private final RowFold fold;
        private final String funcName;
        private final double xFilesFactor;
        private final LinkedHashSet<String> paths = new LinkedHashSet<>();
        private String lastPath;
        private TreeMap<String, String> tags;
        private Map<String, String> lastTags;
        private long step;
        private long start = Long.MAX_VALUE;
        private long end = Long.MIN_VALUE;
        private int length;

        /** @throws IllegalArgumentException for a reduction that does not {@link #folds fold} */
        public Accumulator(AggFunc f, String funcName, double xFilesFactor) {
            if (!folds(f)) {
                throw new IllegalArgumentException(f + " does not fold one series at a time");
            }
            this.fold = new RowFold(f);
            this.funcName = funcName;
            this.xFilesFactor = xFilesFactor;
        }

        /** Folds in the next series; false (and nothing folded) when its step differs from the first one's. */
        public boolean add(Series s) {
            if (step == 0) {
                step = s.step();
            } else if (s.step() != step) {
                return false;
            }
            fold.add(s.values());
            start = Math.min(start, s.start());
            end = Math.max(end, s.end());
            length = Math.max(length, s.size());
            if (!s.pathExpression().equals(lastPath)) {
                lastPath = s.pathExpression();
                paths.add(lastPath);
            }
            if (tags == null) {
                tags = new TreeMap<>(s.tags());
            } else if (!tags.isEmpty() && s.tags() != lastTags) {
                tags.entrySet().removeIf(e -> !e.getValue().equals(s.tags().get(e.getKey())));
            }
            lastTags = s.tags();
            return true;
        }

        /** The aggregate of what was added, or null when nothing was. */
        public Series result() {
            if (tags == null) {
                return null;
            }
            return aggregated(funcName, String.join(",", paths), tags, start, end - Math.floorMod(end - start, step),
                    step, fold.rows(length, xFilesFactor), xFilesFactor);
        }
    }

    /** Rows copied out a tile of positions at a time (row-major in the tile), then reduced by {@link AggFunc}. */
    private static double[] tiledRows(Normalized n, AggFunc f, double xFilesFactor) {
        int len = n.length();
        int k = n.series().size();
        double[] out = new double[len];
        if (k == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        int tile = Math.max(1, Math.min(len, 32_768 / k));
        double[] rows = new double[tile * k];
        int[] known = new int[tile];
        for (int i0 = 0; i0 < len; i0 += tile) {
            int t = Math.min(tile, len - i0);
            Arrays.fill(known, 0, t, 0);
            for (int j = 0; j < k; j++) {
                double[] v = n.series().get(j).values();
                for (int d = 0; d < t; d++) {
                    int i = i0 + d;
                    double x = i < v.length ? v[i] : Double.NaN;
                    rows[d * k + j] = x;
                    if (!Double.isNaN(x)) {
                        known[d]++;
                    }
                }
            }
            for (int d = 0; d < t; d++) {
                out[i0 + d] = xff(known[d], k, xFilesFactor) ? f.apply(rows, d * k, (d + 1) * k) : Double.NaN;
            }
        }
        return out;
    }

    /** Value at position i of a normalised series, null past its end (izip_longest). */
    public static double at(Series s, int i) {
        return i < s.size() ? s.get(i) : Double.NaN;
    }

    /** graphite's {@code formatPathExpressions}: distinct path expressions in order, comma-joined. */
    public static String pathExpressions(List<Series> list) {
        LinkedHashMap<String, Boolean> seen = new LinkedHashMap<>();
        for (Series s : list) {
            seen.putIfAbsent(s.pathExpression(), Boolean.TRUE);
        }
        return String.join(",", seen.keySet());
    }

    /** Tags every series shares with the same value. */
    public static Map<String, String> commonTags(List<Series> list) {
        TreeMap<String, String> tags = new TreeMap<>(list.get(0).tags());
        for (Series s : list) {
            tags.entrySet().removeIf(e -> !e.getValue().equals(s.tags().get(e.getKey())));
        }
        return tags;
    }

    /**
     * graphite's {@code aggregate(seriesList, func, xFilesFactor)}: one series named {@code <func>Series(<path
     * expressions>)} with the common tags, {@code name} set to the result name if the inputs' names differ, and
     * {@code aggregatedBy}; null for no input.
     *
     * @param funcName the name as written (after stripping a {@code Series} suffix), used in the name and tag
     */
    public static Series aggregate(List<Series> inputs, AggFunc f, String funcName, double xFilesFactor) {
        Normalized n = normalize(inputs);
        if (n == null) {
            return null;
        }
        if (folds(f)) {
            Accumulator a = new Accumulator(f, funcName, xFilesFactor);
            for (Series s : n.series()) {
                a.add(s); // one step after normalisation
            }
            return a.result();
        }
        return aggregated(funcName, pathExpressions(n.series()), commonTags(n.series()), n.start(), n.end(), n.step(),
                tiledRows(n, f, xFilesFactor), xFilesFactor);
    }

    /** The series {@code aggregate()} returns: named after the function and its inputs, with the common tags. */
    private static Series aggregated(String funcName, String pathExpressions, Map<String, String> commonTags,
                                     long start, long end, long step, double[] values, double xFilesFactor) {
        String name = funcName + "Series(" + pathExpressions + ")";
        Map<String, String> tags = new TreeMap<>(commonTags);
        tags.putIfAbsent("name", name);
        tags.put("aggregatedBy", funcName);
        return Series.builder(name, start, end, step, values).tags(tags).xFilesFactor(xFilesFactor).build();
    }

    /** All series of several lists, in order. */
    public static List<Series> flatten(List<List<Series>> lists) {
        List<Series> out = new ArrayList<>();
        for (List<Series> l : lists) {
            out.addAll(l);
        }
        return out;
    }

    /** A new array with every known value mapped and nulls kept. */
    public static double[] map(double[] v, java.util.function.DoubleUnaryOperator op) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isNaN(v[i]) ? Double.NaN : op.applyAsDouble(v[i]);
        }
        return out;
    }

    /** Python's {@code math.pow} with graphite's {@code safePow}: null for null, domain errors and overflow. */
    public static double safePow(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.NaN;
        }
        if (a == 0 && b < 0) {
            return Double.NaN; // ValueError in Python
        }
        double r = Math.pow(a, b);
        if (Double.isNaN(r)) {
            return Double.NaN; // negative base with a fractional exponent
        }
        if (Double.isInfinite(r) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            return Double.NaN; // OverflowError in Python
        }
        return r;
    }

    /**
     * graphite's {@code _getPercentile}: the n-th percentile of the known values by nearest rank
     * ({@code rank = ceil(n/100 * (N+1))}, clamped to the ends), or with {@code interpolate} the linear interpolation
     * between ranks; NaN when nothing is known.
     */
    public static double percentile(double[] values, int from, int to, double n, boolean interpolate) {
        return percentile(values, from, to, n, interpolate, new double[to - from]);
    }

    /** As {@link #percentile(double[], int, int, double, boolean)}, sorting in {@code scratch} (length ≥ to - from). */
    public static double percentile(double[] values, int from, int to, double n, boolean interpolate,
                                    double[] scratch) {
        int known = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(values[i])) {
                known++;
            }
        }
        if (known == 0) {
            return Double.NaN;
        }
        double[] sorted = scratch;
        int k = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(values[i])) {
                sorted[k++] = values[i];
            }
        }
        java.util.Arrays.sort(sorted, 0, known);
        double fractionalRank = (n / 100.0) * (known + 1);
        int rank = (int) fractionalRank;
        double rankFraction = fractionalRank - rank;
        if (!interpolate) {
            rank += (int) Math.ceil(rankFraction);
        }
        double p;
        if (rank <= 0) {
            p = sorted[0];
        } else if (rank - 1 >= known) {
            p = sorted[known - 1];
        } else {
            p = sorted[rank - 1];
        }
        if (interpolate && rank != known && rank >= 0 && rank < known) {
            p = p + rankFraction * (sorted[rank] - p);
        }
        return p;
    }

    public static double percentile(double[] values, double n, boolean interpolate) {
        return percentile(values, 0, values.length, n, interpolate);
    }

    /** graphite's {@code safe.safeLast}: the last known value, NaN if none. */
    public static double last(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (!Double.isNaN(v[i])) {
                return v[i];
            }
        }
        return Double.NaN;
    }

    /**
     * Python's {@code round(x, digits)}: the exact binary value rounded half-even to {@code digits} decimals.
     * Fast path: {@code rint(x·10^d) / 10^d} is exact when {@code x·10^d} is below 2^52 and its fraction is
     * further from one half than the multiplication's error (half an ulp, checked with a margin of two): the
     * rounded integer is then the one exact decimal arithmetic gives, and the division is correctly rounded. Exact
     * arithmetic otherwise (ties, huge values, more than 15 digits, negative digits).
     */
    public static double round(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        if (digits >= 0 && digits < POW10.length) {
            double p = POW10[digits];
            double y = x * p;
            if (Math.abs(y) < 0x1p52) {
                double f = y - Math.floor(y);
                if (Math.abs(f - 0.5) > 2 * Math.ulp(y)) {
                    return Math.rint(y) / p;
                }
            }
        }
        return new java.math.BigDecimal(x).setScale(digits, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Powers of ten that are exact doubles, 10^0 .. 10^15. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15};

    /** A series of nulls. */
    public static double[] nulls(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }
}
