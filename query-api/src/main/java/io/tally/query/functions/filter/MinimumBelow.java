package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code minimumBelow(seriesList, n)}: filterSeries with {@code MIN <= n}. */
public final class MinimumBelow extends Fn {
    public MinimumBelow() {
        super(spec("minimumBelow", FILTER_SERIES, doc("Keeps only the series with a minimum value at or below n (or "
                + "no value at all).", "minimumBelow(system.interface.eth*.packetsSent,1000)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.MIN, "<=", args.dbl(1));
    }
}
