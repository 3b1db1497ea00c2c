package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code lowestCurrent(seriesList, n)}: the n series with the lowest last value (series without values first). */
public final class LowestCurrent extends Fn {
    public LowestCurrent() {
        super(spec("lowestCurrent", FILTER_SERIES, doc("Keeps the n series with the lowest last value (series "
                + "without values first) over the range.", "lowestCurrent(server*.instance*.threads.busy,5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.top(args.series(0), AggFunc.LAST, args.integer(1), false);
    }
}
