package io.tally.alerting;

import io.tally.alerting.AlertDefinition.Condition;
import io.tally.alerting.AlertDefinition.Direction;
import io.tally.alerting.AlertDefinition.Reducer;
import io.tally.query.RenderRequest;
import io.tally.query.RenderResult;
import io.tally.query.Renderer;
import io.tally.query.expr.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Steps 1-5 of spec 4.3 for one instance: build the target, query {@code (T-offset-window, T-offset]} through the same
 * {@link Renderer} that serves {@code /render}, reduce each series' non-null points, combine the series, and compare
 * with the thresholds (crit first, inclusive by default, with recover hysteresis from the previous level).
 * Stateless; blocking (storage reads, peer requests): run it on the evaluation pool.
 *
 * <p>Queries go through {@link Renderer#renderFull}, so an answer with regions missing (federation) is seen as such:
 * it is evaluated only under {@code missing_regions: ignore} (the outcome names the missing regions); otherwise it
 * is an error for {@code on_error}, or the state {@code missing_regions} names, at once.
 */
public final class Evaluator {
    private final Renderer renderer;

    public Evaluator(Renderer renderer) {
        this.renderer = renderer;
    }

    /**
     * @param slotSeconds the aligned evaluation time T
     * @param previous    the instance's previous raw level, for hysteresis (OK when none)
     */
    public Evaluation evaluate(AlertDefinition d, String region, long slotSeconds, State previous) {
        if (d.predictive() != null) {
            return evaluatePredictive(d, region, slotSeconds, previous);
        }
        long until = slotSeconds - d.offsetSeconds();
        long from = until - d.windowSeconds();
        RenderResult result;
        RenderResult peers = null;
        try {
            result = render(d.targetFor(region), from, until, slotSeconds);
            if (d.compare() != null) {
                peers = render(d.compare().peersFor(region), from, until, slotSeconds);
            }
        } catch (RuntimeException e) {
            return failed(e);
        }
        // a partial answer is never evaluated silently, whatever the scope: the alert's missing_regions decides
        Map<String, String> missing = new LinkedHashMap<>(result.missingRegions());
        if (peers != null) {
            missing.putAll(peers.missingRegions());
        }
        if (!missing.isEmpty() && d.missingRegions() != AlertDefinition.MissingRegions.IGNORE) {
            return Evaluation.missing(missing, d.missingRegions().policy());
        }
        DoubleUnaryOperator judge = v -> v;
        if (peers != null) {
            List<Double> values = new ArrayList<>();
            for (Series s : peers.series()) {
                double[] pts = nonNull(s);
                if (pts.length > 0) {
                    values.add(reduce(d.reduce(), d.condition(), pts));
                }
            }
            AlertDefinition.Compare cmp = d.compare();
            if (values.size() < cmp.minPeers()) {
                return Evaluation.noData(values.size() + " peer series with data, fewer than min_peers "
                        + cmp.minPeers(), 0, 0);
            }
            judge = against(cmp.mode(), values);
            if (judge == null) {
                return Evaluation.noData("the peers' mean is 0: no " + cmp.mode().lower(), 0, 0);
            }
        }
        Evaluation e = decide(d, result.series(), previous, judge);
        return missing.isEmpty() ? e : e.partial(missing);
    }

    /**
     * The value against the peers' values: divided by their mean, minus it, the difference in percent of it, or in
     * their sample standard deviations (as {@link #zScore}); null when a ratio or percent would divide by a zero mean.
     */
    static DoubleUnaryOperator against(AlertDefinition.CompareMode mode, List<Double> peers) {
        double mean = 0;
        for (double p : peers) {
            mean += p;
        }
        mean /= peers.size();
        double m = mean;
        switch (mode) {
            case RATIO -> {
                return m == 0 ? null : v -> v / m;
            }
            case DIFFERENCE -> {
                return v -> v - m;
            }
            case PERCENT -> {
                return m == 0 ? null : v -> (v - m) / Math.abs(m) * 100;
            }
            default -> {
                double sd = sampleSd(peers.stream().mapToDouble(Double::doubleValue).toArray(), peers.size(), m);
                return v -> deviations(v - m, sd);
            }
        }
    }

    /** One target over {@code (from, until]} through the render path, as of {@code now}. */
    private RenderResult render(String target, long from, long until, long now) {
        return renderer.renderFull(RenderRequest.of(List.of(target), from, until, now, 0, 0.0));
    }

    /** A query that threw: an error for {@code on_error}, named by the exception's class and message. */
    private static Evaluation failed(RuntimeException e) {
        String m = e.getMessage();
        return Evaluation.error(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    /** Whether the query path reaches other regions ({@code query.scope: federated} is allowed). */
    public boolean federated() {
        return renderer.federation() != null;
    }

    /**
     * A predictive check (Tattle's): the window now and at the same time of each earlier period, every series
     * reduced per window; per series {@code z = (now - centre) / sd} over the earlier periods with data (at least
     * two), then combined and compared like a threshold check. Series are matched across periods by name.
     */
    private Evaluation evaluatePredictive(AlertDefinition d, String region, long slotSeconds, State previous) {
        AlertDefinition.Predictive p = d.predictive();
        String target = d.targetFor(region);
        Map<String, double[]> windows = new LinkedHashMap<>(); // series name -> reduced value per period (0 = now)
        Map<String, Integer> pointsNow = new LinkedHashMap<>();
        int matched = 0;
        Map<String, String> missing = new LinkedHashMap<>();
        for (int i = 0; i <= p.periods(); i++) {
            long until = slotSeconds - d.offsetSeconds() - p.periodSeconds() * i;
            RenderResult result;
            try {
                result = render(target, until - d.windowSeconds(), until, slotSeconds);
            } catch (RuntimeException e) {
                return failed(e);
            }
            if (!result.complete()) {
                if (d.missingRegions() != AlertDefinition.MissingRegions.IGNORE) {
                    return Evaluation.missing(result.missingRegions(), d.missingRegions().policy());
                }
                missing.putAll(result.missingRegions());
            }
            if (i == 0) {
                matched = result.series().size();
            }
            for (Series s : result.series()) {
                double[] pts = nonNull(s);
                if (pts.length == 0 || (i > 0 && !windows.containsKey(s.name()))) {
                    continue;
                }
                if (i == 0) {
                    double[] w = new double[p.periods() + 1];
                    Arrays.fill(w, Double.NaN);
                    windows.put(s.name(), w);
                    pointsNow.put(s.name(), pts.length);
                }
                windows.get(s.name())[i] = reduce(d.reduce(), d.condition(), pts);
            }
        }
        Condition c = d.condition();
        List<Evaluation.SeriesValue> values = new ArrayList<>(windows.size());
        int points = 0;
        for (Map.Entry<String, double[]> e : windows.entrySet()) {
            double z = zScore(e.getValue(), p.median());
            if (Double.isNaN(z)) {
                continue; // fewer than two earlier periods with data: no baseline for this series
            }
            double v = c.direction() == Direction.BOTH ? Math.abs(z) : z;
            int n = pointsNow.get(e.getKey());
            points += n;
            values.add(new Evaluation.SeriesValue(e.getKey(), v, n, level(c, v, previous)));
        }
        if (values.isEmpty() && !windows.isEmpty() && d.minSeries() > 0) {
            return Evaluation.noData(windows.size() + " series with data now, none with data in two earlier "
                    + p.period() + " periods", 0, 0);
        }
        Evaluation out = combine(d, values, points, matched, previous);
        return missing.isEmpty() ? out : out.partial(missing);
    }

    /**
     * {@code (w[0] - centre) / sd} over the earlier values {@code w[1..]} that are not NaN (mean or median; sample
     * standard deviation); NaN with fewer than two of them. A zero deviation gives 0 for an equal value and an
     * infinite z otherwise.
     */
    static double zScore(double[] w, boolean median) {
        double[] hist = new double[w.length - 1];
        int k = 0;
        for (int i = 1; i < w.length; i++) {
            if (!Double.isNaN(w[i])) {
                hist[k++] = w[i];
            }
        }
        if (k < 2 || Double.isNaN(w[0])) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i = 0; i < k; i++) {
            mean += hist[i];
        }
        mean /= k;
        double centre = mean;
        if (median) {
            double[] sorted = Arrays.copyOf(hist, k);
            Arrays.sort(sorted);
            centre = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
        }
        return deviations(w[0] - centre, sampleSd(hist, k, mean));
    }

    /** Sample standard deviation (n - 1) of {@code v[0, n)} around {@code mean}. */
    private static double sampleSd(double[] v, int n, double mean) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (v[i] - mean) * (v[i] - mean);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** {@code diff} in standard deviations; with a zero deviation, 0 for no difference and infinite otherwise. */
    private static double deviations(double diff, double sd) {
        if (sd == 0) {
            return diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
        }
        return diff / sd;
    }

    /** Steps 2-5 over already fetched series. */
    static Evaluation decide(AlertDefinition d, List<Series> data, State previous) {
        return decide(d, data, previous, v -> v);
    }

    /** As above, each series' reduced value passed through {@code judge} (the comparison with peers). */
    static Evaluation decide(AlertDefinition d, List<Series> data, State previous,
                             DoubleUnaryOperator judge) {
        Condition c = d.condition();
        List<Evaluation.SeriesValue> values = new ArrayList<>(data.size());
        int points = 0;
        for (Series s : data) {
            double[] pts = nonNull(s);
            if (pts.length == 0) {
                continue;
            }
            points += pts.length;
            double v = judge.applyAsDouble(reduce(d.reduce(), c, pts));
            values.add(new Evaluation.SeriesValue(s.name(), v, pts.length, level(c, v, previous)));
        }
        return combine(d, values, points, data.size(), previous);
    }

    /** Step 4-5: no data, min_series, min_points, then the series combined and compared. */
    private static Evaluation combine(AlertDefinition d, List<Evaluation.SeriesValue> values, int points, int matched,
                                      State previous) {
        Condition c = d.condition();
        if (values.isEmpty()) {
            if (d.minSeries() == 0) {
                return new Evaluation(Evaluation.Kind.OK, Double.NaN, 0, 0, null, "no series (min_series 0)",
                        List.of());
            }
            return Evaluation.noData(matched == 0 ? "0 series matched" : matched + " series, all points null",
                    0, 0);
        }
        if (values.size() < d.minSeries()) {
            return Evaluation.noData(values.size() + " series with data, fewer than min_series " + d.minSeries(),
                    points, values.size());
        }
        if (points < d.minPoints()) {
            return Evaluation.noData(points + " points, fewer than min_points " + d.minPoints(), points,
                    values.size());
        }
        double combined;
        String seriesName = null;
        switch (d.series()) {
            case FIRST -> {
                combined = values.get(0).value();
                seriesName = values.get(0).name();
            }
            case SUM, AVG -> {
                double sum = 0;
                for (Evaluation.SeriesValue v : values) {
                    sum += v.value();
                }
                combined = d.series() == AlertDefinition.SeriesMode.SUM ? sum : sum / values.size();
            }
            case MAX, MIN -> {
                double m = values.get(0).value();
                for (Evaluation.SeriesValue v : values) {
                    m = d.series() == AlertDefinition.SeriesMode.MAX ? Math.max(m, v.value()) : Math.min(m, v.value());
                }
                combined = m;
            }
            default -> { // WORST and EACH: the (max_failing_series + 1)-th worst series decides
                List<Evaluation.SeriesValue> sorted = new ArrayList<>(values);
                sorted.sort((a, b) -> {
                    int bySeverity = Integer.compare(b.level().severity(), a.level().severity());
                    if (bySeverity != 0) {
                        return bySeverity;
                    }
                    return Double.compare(c.badness(b.value()), c.badness(a.value()));
                });
                Evaluation.SeriesValue decider = sorted.get(Math.min(d.maxFailingSeries(), sorted.size() - 1));
                combined = decider.value();
                seriesName = decider.name();
            }
        }
        State level = level(c, combined, previous);
        return new Evaluation(Evaluation.Kind.of(level), combined, points, values.size(), seriesName, "", values);
    }

    /** Crit first, then warn; a level held before stays while its recover level is still breached. */
    static State level(Condition c, double v, State previous) {
        boolean wasCrit = previous == State.CRITICAL;
        boolean wasWarn = previous == State.CRITICAL || previous == State.WARNING;
        if (c.breachesCrit(v) || (wasCrit && c.breaches(v, c.recoverCrit()))) {
            return State.CRITICAL;
        }
        if (c.breachesWarn(v) || (wasWarn && c.breaches(v, c.recoverWarn()))) {
            return State.WARNING;
        }
        return State.OK;
    }

    /** The non-null values a series shows in its window, oldest first. */
    static double[] nonNull(Series s) {
        int n = s.outputCount();
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double v = s.get(i);
            if (!Double.isNaN(v)) {
                out[k++] = v;
            }
        }
        return k == n ? out : Arrays.copyOf(out, k);
    }

    /**
     * One series' value. {@code any}, {@code all} and {@code fraction:f} reduce to the point that decides whether
     * that many points breach: the worst point, the best one, or the ceil(f·n)-th worst.
     */
    static double reduce(Reducer r, Condition c, double[] pts) {
        int n = pts.length;
        switch (r.kind()) {
            case LAST:
                return pts[n - 1];
            case COUNT:
                return n;
            case SUM:
            case AVG: {
                double sum = 0;
                for (double v : pts) {
                    sum += v;
                }
                return r.kind() == Reducer.Kind.SUM ? sum : sum / n;
            }
            default:
                break;
        }
        double[] sorted = pts.clone();
        Arrays.sort(sorted);
        Direction dir = c.direction();
        if (dir.ranged() && (r.kind() == Reducer.Kind.ANY || r.kind() == Reducer.Kind.ALL
                || r.kind() == Reducer.Kind.FRACTION)) {
            // worst first: by the level a point alone would have, then by its distance on the breaching side (a
            // point far outside the warn range may still be inside a wider crit range); the k-th worst point then
            // has the highest level that at least k points reach
            Double[] byBadness = new Double[n];
            for (int i = 0; i < n; i++) {
                byBadness[i] = sorted[i];
            }
            Arrays.sort(byBadness, (a, b) -> {
                int bySeverity = Integer.compare(c.severity(b), c.severity(a));
                return bySeverity != 0 ? bySeverity : Double.compare(c.badness(b), c.badness(a));
            });
            int k = r.kind() == Reducer.Kind.ANY ? 1 : r.kind() == Reducer.Kind.ALL ? n
                    : Math.max(1, (int) Math.ceil(r.param() * n));
            return byBadness[k - 1];
        }
        return switch (r.kind()) {
            case MIN -> sorted[0];
            case MAX -> sorted[n - 1];
            case MEDIAN -> n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            case PERCENTILE -> sorted[Math.max(0, (int) Math.ceil(r.param() / 100.0 * n) - 1)];
            case ANY -> dir != Direction.BELOW ? sorted[n - 1] : sorted[0];
            case ALL -> dir != Direction.BELOW ? sorted[0] : sorted[n - 1];
            case FRACTION -> {
                int k = Math.max(1, (int) Math.ceil(r.param() * n)); // the k-th worst point
                yield dir != Direction.BELOW ? sorted[n - k] : sorted[k - 1];
            }
            default -> throw new IllegalStateException("reducer " + r.kind());
        };
    }
}
