package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code maximumAbove(seriesList, n)}: filterSeries with {@code MAX > n}. */
public final class MaximumAbove extends Fn {
    public MaximumAbove() {
        super(spec("maximumAbove", FILTER_SERIES, doc("Keeps only the series with a maximum value above "
                + "n.", "maximumAbove(system.interface.eth*.packetsSent,1000)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.MAX, ">", args.dbl(1));
    }
}
