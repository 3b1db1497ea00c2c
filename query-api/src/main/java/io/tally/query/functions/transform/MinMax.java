package io.tally.query.functions.transform;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code minMax(seriesList)}: min-max normalisation, {@code (v - min) / (max - min)} (0 when constant). */
public final class MinMax extends Fn implements SeriesWise {
    public MinMax() {
        super(spec("minMax", TRANSFORM, doc("Normalises each series to [0, 1]: (value - min) / (max - min); a "
                + "constant series becomes 0.", "minMax(Server.instance01.threads.busy)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> {
            double min = AggFunc.MIN.apply(s.values());
            double max = AggFunc.MAX.apply(s.values());
            double lo = Double.isNaN(min) ? 0 : min;
            double range = (Double.isNaN(max) ? 0 : max) - lo;
            String name = "minMax(" + s.name() + ")";
            return s.toBuilder().name(name).pathExpression(name)
                    .values(io.tally.query.expr.SeriesMath.map(s.values(), v -> range == 0 ? 0.0 : (v - lo) / range))
                    .build();
        });
    }
}
