package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code integral(seriesList)}: running sum; null positions stay null and the sum carries over them. */
public final class Integral extends Fn implements SeriesWise {
    public Integral() {
        super(spec("integral", TRANSFORM, doc("The running total of the values over time (nulls stay null and do "
                + "not reset the total).", "integral(company.sales.perMinute)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            double current = 0;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    out[i] = Double.NaN;
                } else {
                    current += v[i];
                    out[i] = current;
                }
            }
            return s.transformed("integral(" + s.name() + ")", out, "integral", "1");
        });
    }
}
