package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;

/** {@code cumulative(seriesList)}: {@code consolidateBy(seriesList, 'sum')}. */
public final class Cumulative extends Fn {
    public Cumulative() {
        super(spec("cumulative", SPECIAL, doc("Consolidates points by summing them when there are more points than "
                + "maxDataPoints; the same as consolidateBy(x, 'sum').", "cumulative(Sales.widgets.largeBlue)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return ConsolidateBy.consolidate(args.series(0), "sum", args, 0);
    }
}
