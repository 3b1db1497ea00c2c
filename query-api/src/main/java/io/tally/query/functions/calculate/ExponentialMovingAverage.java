package io.tally.query.functions.calculate;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code exponentialMovingAverage(seriesList, windowSize)}: {@code ema = c * value + (1 - c) * ema} with
 * {@code c = 2 / (windowSize + 1)}, seeded with the average of the first window, over data re-fetched from
 * {@code from - window}. As in graphite-web, an interval window uses its length in seconds for {@code c}, and
 * the seed point sits at the first timestamp.
 */
public final class ExponentialMovingAverage extends Fn {
    public ExponentialMovingAverage() {
        super(spec("exponentialMovingAverage", CALCULATE, doc("The exponential moving average: ema = c * value + "
                + "(1 - c) * previous ema, with c = 2 / (windowSize + 1); the first value is the simple average of "
                + "the first window.", "exponentialMovingAverage(*.transactions.count, 10)",
                "exponentialMovingAverage(*.transactions.count, '-10s')"))
                .params(SERIES_LIST, MovingWindow.windowParam()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return List.of();
        }
        MovingWindow.Window w = MovingWindow.Window.of(args, 1, list);
        double c = 2.0 / ((w.interval() ? w.seconds() : w.count()) + 1);
        List<Series> preview = ctx.withRange(ctx.from() - w.seconds(), ctx.until())
                .evaluateSeries(args.expr(0), args.replacements());
        List<Series> out = new ArrayList<>(preview.size());
        for (Series s : preview) {
            int points = Math.min(w.points(s), s.size());
            double[] v = s.values();
            double ema = AggFunc.AVERAGE.apply(v, 0, points);
            if (Double.isNaN(ema)) {
                ema = 0;
            }
            double[] result = new double[1 + v.length - points];
            result[0] = SeriesMath.round(ema, 6);
            for (int i = points; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    result[1 + i - points] = Double.NaN;
                } else {
                    ema = c * v[i] + (1 - c) * ema;
                    result[1 + i - points] = SeriesMath.round(ema, 6);
                }
            }
            String name = "exponentialMovingAverage(" + s.name() + "," + w.label() + ")";
            out.add(s.toBuilder().name(name).pathExpression(name)
                    .tags(s.tagsWith("exponentialMovingAverage", w.text())).start(s.start() + w.seconds())
                    .values(result).build());
        }
        return out;
    }
}
