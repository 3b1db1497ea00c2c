package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code highestCurrent(seriesList, n)}: the n series with the highest last value. */
public final class HighestCurrent extends Fn {
    public HighestCurrent() {
        super(spec("highestCurrent", FILTER_SERIES, doc("Keeps the n series with the highest last value over the "
                + "range.", "highestCurrent(server*.instance*.threads.busy,5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.top(args.series(0), AggFunc.LAST, args.integer(1), true);
    }
}
