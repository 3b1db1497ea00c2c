package io.tally.query.functions.transform;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code offsetToZero(seriesList)}: subtracts each series' minimum so its lowest point is 0. */
public final class OffsetToZero extends Fn implements SeriesWise {
    public OffsetToZero() {
        super(spec("offsetToZero", TRANSFORM, doc("Subtracts the minimum of each series from its values, so that "
                + "series of different levels can be compared.", "offsetToZero(Server.instance*.responseTime)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> {
            double min = AggFunc.MIN.apply(s.values());
            String tag = Double.isNaN(min) ? "None" : Py.repr(min);
            return mapValues(s, "offsetToZero(" + s.name() + ")", "offsetToZero", tag, v -> v - min);
        });
    }
}
