package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code currentBelow(seriesList, n)}: filterSeries with {@code LAST <= n}. */
public final class CurrentBelow extends Fn {
    public CurrentBelow() {
        super(spec("currentBelow", FILTER_SERIES, doc("Keeps only the series with a last known value at or below n "
                + "(or no value at all).", "currentBelow(server*.instance*.threads.busy,3)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.LAST, "<=", args.dbl(1));
    }
}
