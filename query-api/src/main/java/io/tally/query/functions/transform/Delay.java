package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code delay(seriesList, steps)}: values shifted later by {@code steps} points (earlier when negative), the
 * vacated points null; the time range is unchanged. (graphite-web returns an empty series for 0; Tally returns the
 * series unchanged.)
 */
public final class Delay extends Fn implements SeriesWise {
    public Delay() {
        super(spec("delay", TRANSFORM, doc("Shifts the values later by a number of steps (earlier when negative); "
                + "the points shifted in are null.", "divideSeries(server.FreeSpace,delay(server.FreeSpace,1))"))
                .params(SERIES_LIST, Param.required("steps", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long steps = args.integer(1);
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                long src = i - steps;
                out[i] = src >= 0 && src < v.length ? v[(int) src] : Double.NaN;
            }
            return s.transformed("delay(" + s.name() + "," + steps + ")", out, "delay", Long.toString(steps));
        });
    }
}
