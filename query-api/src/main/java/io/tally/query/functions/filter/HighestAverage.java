package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code highestAverage(seriesList, n)}: the n series with the highest average. */
public final class HighestAverage extends Fn {
    public HighestAverage() {
        super(spec("highestAverage", FILTER_SERIES, doc("Keeps the n series with the highest average over the "
                + "range.", "highestAverage(server*.instance*.threads.busy,5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.top(args.series(0), AggFunc.AVERAGE, args.integer(1), true);
    }
}
