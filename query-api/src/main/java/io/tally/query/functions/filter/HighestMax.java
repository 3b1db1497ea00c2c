package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code highestMax(seriesList, n)}: the n series with the highest maximum. */
public final class HighestMax extends Fn {
    public HighestMax() {
        super(spec("highestMax", FILTER_SERIES, doc("Keeps the n series with the highest maximum over the "
                + "range.", "highestMax(server*.instance*.threads.busy,5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.top(args.series(0), AggFunc.MAX, args.integer(1), true);
    }
}
