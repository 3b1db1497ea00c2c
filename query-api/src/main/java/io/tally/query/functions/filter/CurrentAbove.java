package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code currentAbove(seriesList, n)}: filterSeries with {@code LAST > n}. */
public final class CurrentAbove extends Fn {
    public CurrentAbove() {
        super(spec("currentAbove", FILTER_SERIES, doc("Keeps only the series with a last known value above "
                + "n.", "currentAbove(server*.instance*.threads.busy,50)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.LAST, ">", args.dbl(1));
    }
}
