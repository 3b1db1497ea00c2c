package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code changed(seriesList)}: 1 where a value differs from the previous known value, else 0 (the first known
 * value and nulls give 0).
 */
public final class Changed extends Fn implements SeriesWise {
    public Changed() {
        super(spec("changed", SPECIAL, doc("1 at each point where the value changed from the previous known value, "
                + "0 elsewhere (nulls give 0).", "changed(Server01.connections.handled)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            boolean havePrevious = false;
            double previous = Double.NaN;
            for (int i = 0; i < v.length; i++) {
                if (!havePrevious || Double.isNaN(previous)) {
                    previous = v[i];
                    havePrevious = true;
                    out[i] = 0;
                } else if (!Double.isNaN(v[i]) && previous != v[i]) {
                    out[i] = 1;
                    previous = v[i];
                } else {
                    out[i] = 0;
                }
            }
            String name = "changed(" + s.name() + ")";
            return s.toBuilder().name(name).pathExpression(name).values(out).build();
        });
    }
}
