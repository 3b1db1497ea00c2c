package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code interpolate(seriesList, limit=inf)}: runs of at most {@code limit} nulls between two known values are
 * filled linearly; leading and trailing nulls stay null.
 */
public final class Interpolate extends Fn implements SeriesWise {
    public Interpolate() {
        super(spec("interpolate", TRANSFORM, doc("Fills gaps of at most limit nulls (default: any length) between "
                + "two known values with a straight line.", "interpolate(Server01.connections.handled)",
                "interpolate(Server01.connections.handled, 10)"))
                .params(SERIES_LIST, Param.optional("limit", ParamType.INT_OR_INF, Double.POSITIVE_INFINITY)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double limit = args.dbl(1, Double.POSITIVE_INFINITY);
        return each(args.series(0), s -> {
            double[] v = s.values().clone();
            int nulls = 0;
            for (int i = 1; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    nulls++;
                } else if (nulls > 0) {
                    double before = v[i - nulls - 1];
                    if (!Double.isNaN(before) && nulls <= limit) {
                        for (int k = i - nulls; k < i; k++) {
                            v[k] = before + (k - (i - nulls - 1)) * (v[i] - before) / (nulls + 1);
                        }
                    }
                    nulls = 0;
                }
            }
            String name = "interpolate(" + s.name() + ")";
            return s.toBuilder().name(name).pathExpression(name).values(v).build();
        });
    }
}
