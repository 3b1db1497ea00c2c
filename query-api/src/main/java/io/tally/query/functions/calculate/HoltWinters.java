package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Interval;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;

import java.util.Arrays;
import java.util.List;

/**
 * graphite's Holt-Winters analysis (triple exponential smoothing with alpha = gamma = 0.1, beta = 0.0035 and one
 * season of {@code seasonality}), shared by the holtWinters* functions. A null input breaks the recurrence for
 * one step: the next point restarts from its own value.
 */
final class HoltWinters {
    private static final double ALPHA = 0.1;
    private static final double GAMMA = 0.1;
    private static final double BETA = 0.0035;

    /** Predictions and deviations per point, over the whole (bootstrap included) series. */
    record Analysis(double[] predictions, double[] deviations) {
    }

    private HoltWinters() {
    }

    static Analysis analyse(Series s, long seasonalitySeconds) {
        double[] v = s.values();
        int n = v.length;
        int season = (int) Math.max(1, seasonalitySeconds / s.step());
        double[] intercepts = new double[n];
        double[] slopes = new double[n];
        double[] seasonals = new double[n];
        double[] predictions = new double[n];
        double[] deviations = new double[n];
        double nextPred = Double.NaN;
        for (int i = 0; i < n; i++) {
            double actual = v[i];
            if (Double.isNaN(actual)) {
                intercepts[i] = Double.NaN;
                slopes[i] = 0;
                seasonals[i] = 0;
                predictions[i] = nextPred;
                deviations[i] = 0;
                nextPred = Double.NaN;
                continue;
            }
            double lastIntercept;
            double lastSlope;
            double prediction;
            if (i == 0) {
                lastIntercept = actual;
                lastSlope = 0;
                prediction = actual;
            } else {
                lastIntercept = intercepts[i - 1];
                lastSlope = slopes[i - 1];
                if (Double.isNaN(lastIntercept)) {
                    lastIntercept = actual;
                }
                prediction = nextPred;
            }
            double lastSeasonal = at(seasonals, i - season, i);
            double nextLastSeasonal = at(seasonals, i + 1 - season, i);
            double lastSeasonalDev = at(deviations, i - season, i);
            double intercept = ALPHA * (actual - lastSeasonal) + (1 - ALPHA) * (lastIntercept + lastSlope);
            double slope = BETA * (intercept - lastIntercept) + (1 - BETA) * lastSlope;
            double seasonal = GAMMA * (actual - intercept) + (1 - GAMMA) * lastSeasonal;
            nextPred = intercept + slope + nextLastSeasonal;
            double deviation = GAMMA * Math.abs(actual - (Double.isNaN(prediction) ? 0 : prediction))
                    + (1 - GAMMA) * lastSeasonalDev;
            intercepts[i] = intercept;
            slopes[i] = slope;
            seasonals[i] = seasonal;
            predictions[i] = prediction;
            deviations[i] = deviation;
        }
        return new Analysis(predictions, deviations);
    }

    /** {@code list[j]} for {@code 0 <= j < filled}, else 0. */
    private static double at(double[] a, int j, int filled) {
        return j >= 0 && j < filled ? a[j] : 0;
    }

    /** The tail of an array after the bootstrap points. */
    static double[] tail(double[] a, long bootstrapSeconds, long step) {
        int skip = (int) Math.min(a.length, Math.max(0, bootstrapSeconds / step));
        return Arrays.copyOfRange(a, skip, a.length);
    }

    static Param bootstrapParam() {
        return Param.optional("bootstrapInterval", ParamType.INTERVAL, "7d").withSuggestions("7d", "30d");
    }

    static Param seasonalityParam() {
        return Param.optional("seasonality", ParamType.INTERVAL, "1d").withSuggestions("1d", "7d");
    }

    static long seconds(Args args, int i, String dflt) {
        String text = args.string(i, dflt);
        try {
            return Interval.seconds(text);
        } catch (IllegalArgumentException e) {
            throw args.error(i, e.getMessage());
        }
    }

    /** The first argument re-evaluated with {@code bootstrap} seconds of history before the range. */
    static List<Series> withBootstrap(Args args, EvalContext ctx, long bootstrap) {
        return ctx.withRange(ctx.from() - bootstrap, ctx.until()).evaluateSeries(args.expr(0), args.replacements());
    }

    /** Lower and upper bands of one bootstrapped series, both starting after the bootstrap. */
    static Series[] bands(Series s, double delta, long bootstrap, long seasonality) {
        Analysis a = analyse(s, seasonality);
        double[] forecast = tail(a.predictions(), bootstrap, s.step());
        double[] deviation = tail(a.deviations(), bootstrap, s.step());
        double[] upper = new double[forecast.length];
        double[] lower = new double[forecast.length];
        for (int i = 0; i < forecast.length; i++) {
            if (Double.isNaN(forecast[i]) || Double.isNaN(deviation[i])) {
                upper[i] = Double.NaN;
                lower[i] = Double.NaN;
            } else {
                upper[i] = forecast[i] + delta * deviation[i];
                lower[i] = forecast[i] - delta * deviation[i];
            }
        }
        long start = s.start() + bootstrap;
        Series lo = s.toBuilder().name("holtWintersConfidenceLower(" + s.name() + ")").start(start).values(lower)
                .tags(s.tagsWith("holtWintersConfidenceLower", "1")).build();
        Series up = s.toBuilder().name("holtWintersConfidenceUpper(" + s.name() + ")").start(start).values(upper)
                .tags(s.tagsWith("holtWintersConfidenceUpper", "1")).build();
        return new Series[]{lo, up};
    }
}
