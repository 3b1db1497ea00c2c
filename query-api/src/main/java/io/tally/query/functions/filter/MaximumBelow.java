package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code maximumBelow(seriesList, n)}: filterSeries with {@code MAX <= n}. */
public final class MaximumBelow extends Fn {
    public MaximumBelow() {
        super(spec("maximumBelow", FILTER_SERIES, doc("Keeps only the series with a maximum value at or below n (or "
                + "no value at all).", "maximumBelow(system.interface.eth*.packetsSent,1000)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.MAX, "<=", args.dbl(1));
    }
}
