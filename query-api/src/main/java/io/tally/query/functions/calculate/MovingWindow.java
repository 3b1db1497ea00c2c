package io.tally.query.functions.calculate;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Interval;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code movingWindow(seriesList, windowSize, func='average', xFilesFactor=None)}: each point is the aggregate of
 * the {@code windowSize} points before it (a point count, or an interval string). The first argument is
 * re-evaluated from {@code from - window} so the first output point has a full window. A point is null unless
 * {@code known / windowPoints} reaches the xFilesFactor (argument, else the series'). Named
 * {@code moving<Func>(x,10)} or {@code moving<Func>(x,"5min")}.
 */
public class MovingWindow extends Fn {
    private static final Object[] WINDOW_SUGGESTIONS = {5L, 7L, 10L, "1min", "5min", "10min", "30min", "1hour"};

    private final String fixedFunc;

    public MovingWindow() {
        super(spec("movingWindow", CALCULATE, doc("Applies an aggregation function to a moving window of the "
                + "preceding points, either a number of points or an interval such as '5min'. A point is null "
                + "unless the fraction of known values in its window reaches xFilesFactor.",
                "movingWindow(Server.instance01.threads.busy,10)",
                "movingWindow(Server.instance*.threads.idle,'5min','median',0.5)"))
                .params(SERIES_LIST, windowParam(),
                        Param.optional("func", ParamType.AGG_FUNC, "average").withOptions(AggFunc.NAMES),
                        Param.optional("xFilesFactor", ParamType.FLOAT)));
        this.fixedFunc = null;
    }

    /** A fixed-function variant ({@code movingAverage} etc.): parameters seriesList, windowSize, xFilesFactor. */
    protected MovingWindow(String name, String func, String what) {
        super(spec(name, CALCULATE, doc("Graphs the moving " + what + " of each series over a window of the "
                + "preceding points: a number of points or an interval such as '5min'. A point is null unless the "
                + "fraction of known values in its window reaches xFilesFactor.",
                name + "(Server.instance01.threads.busy,10)", name + "(Server.instance*.threads.idle,'5min')"))
                .params(SERIES_LIST, windowParam(), Param.optional("xFilesFactor", ParamType.FLOAT)));
        this.fixedFunc = func;
    }

    static Param windowParam() {
        return Param.required("windowSize", ParamType.INT_OR_INTERVAL).withSuggestions(WINDOW_SUGGESTIONS);
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String funcName = fixedFunc != null ? fixedFunc : args.string(2, "average");
        AggFunc f = fixedFunc != null ? AggFunc.lookup(fixedFunc) : args.aggFunc(2, "average");
        Double xff = args.dblOrNull(fixedFunc != null ? 2 : 3);
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return List.of();
        }
        Window w = Window.of(args, 1, list);
        List<Series> preview = ctx.withRange(ctx.from() - w.seconds(), ctx.until())
                .evaluateSeries(args.expr(0), args.replacements());
        String tagName = "moving" + Character.toUpperCase(funcName.charAt(0)) + funcName.substring(1);
        List<Series> out = new ArrayList<>(preview.size());
        for (Series s : preview) {
            int points = w.points(s);
            String name = tagName + "(" + s.name() + "," + w.label() + ")";
            double effectiveXff = xff != null ? xff : s.xFilesFactor();
            double[] v = s.values();
            int n = Math.max(0, v.length - points);
            double[] result = new double[n];
            double[] known = new double[Math.max(points, 0)];
            for (int i = points; i < v.length; i++) {
                int k = 0;
                for (int j = i - points; j < i; j++) {
                    if (!Double.isNaN(v[j])) {
                        known[k++] = v[j];
                    }
                }
                result[i - points] = k > 0 && SeriesMath.xff(k, points, effectiveXff) ? f.apply(known, 0, k)
                        : Double.NaN;
            }
            out.add(s.toBuilder().name(name).pathExpression(name).tags(s.tagsWith(tagName, w.text()))
                    .start(s.start() + w.seconds()).values(result).build());
        }
        return out;
    }

    /** A window of points or seconds, as graphite sizes it from the original (not re-fetched) series. */
    record Window(boolean interval, long seconds, long count, String text) {
        static Window of(Args args, int i, List<Series> original) {
            Object v = args.value(i);
            if (v instanceof String s) {
                long secs;
                try {
                    secs = Math.abs(Interval.seconds(s));
                } catch (IllegalArgumentException e) {
                    throw args.error(i, e.getMessage());
                }
                return new Window(true, secs, 0, s);
            }
            long n = args.integer(i);
            if (n < 0) {
                throw args.error(i, "the window size must not be negative");
            }
            long maxStep = 0;
            for (Series s : original) {
                maxStep = Math.max(maxStep, s.step());
            }
            return new Window(false, maxStep * n, n, Long.toString(n));
        }

        int points(Series s) {
            return (int) (interval ? seconds / s.step() : count);
        }

        String label() {
            return interval ? "\"" + text + "\"" : text;
        }
    }
}
