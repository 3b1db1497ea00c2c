package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code removeAboveValue(seriesList, n)}: values with {@code v > n} become null; named {@code removeAboveValue(x,
 * n)}.
 */
public final class RemoveAboveValue extends Fn implements SeriesWise {
    public RemoveAboveValue() {
        super(spec("removeAboveValue", FILTER_DATA, doc("Removes the values above n (they become "
                + "null).", "removeAboveValue(Server.instance01.threads.busy, 50)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        return each(args.series(0), s -> {
            double[] out = s.values().clone();
            for (int i = 0; i < out.length; i++) {
                double v = out[i];
                if (!Double.isNaN(v) && v > n) {
                    out[i] = Double.NaN;
                }
            }
            String name = "removeAboveValue(" + s.name() + ", " + Py.g(n) + ")";
            return s.toBuilder().name(name).pathExpression(name).values(out).build();
        });
    }
}
