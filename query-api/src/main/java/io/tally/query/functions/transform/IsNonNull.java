package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code isNonNull(seriesList)}: 1 where a value is known, 0 where it is null. */
public final class IsNonNull extends Fn implements SeriesWise {
    public IsNonNull() {
        super(spec("isNonNull", TRANSFORM, doc("1 for every known value and 0 for every null, e.g. to count the "
                + "series that report at each point with sumSeries().", "isNonNull(webapp.pages.*.views)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> s.transformed("isNonNull(" + s.name() + ")", known(s.values()),
                "isNonNull", "1"));
    }

    /** 1 where {@code v} is known, 0 where it is NaN (apart from the lambda, which would be compiled on stack). */
    private static double[] known(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isNaN(v[i]) ? 0 : 1;
        }
        return out;
    }
}
