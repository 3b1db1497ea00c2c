package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code removeAbovePercentile(seriesList, n)}: values with {@code v > p} (p: the series' n-th percentile) become
 * null.
 */
public final class RemoveAbovePercentile extends Fn implements SeriesWise {
    public RemoveAbovePercentile() {
        super(spec("removeAbovePercentile", FILTER_DATA, doc("Removes the values above the n-th percentile of each "
                + "series (they become null).", "removeAbovePercentile(Server.instance01.threads.busy, 95)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        return each(args.series(0), s -> {
            String name = "removeAbovePercentile(" + s.name() + ", " + Py.g(n) + ")";
            double p = SeriesMath.percentile(s.values(), n, false);
            double[] out = s.values().clone();
            if (!Double.isNaN(p)) {
                for (int i = 0; i < out.length; i++) {
                    double v = out[i];
                    if (!Double.isNaN(v) && v > p) {
                        out[i] = Double.NaN;
                    }
                }
            }
            return s.toBuilder().name(name).pathExpression(name).values(out).build();
        });
    }
}
