package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code averageBelow(seriesList, n)}: filterSeries with {@code AVERAGE <= n}. */
public final class AverageBelow extends Fn {
    public AverageBelow() {
        super(spec("averageBelow", FILTER_SERIES, doc("Keeps only the series with a average at or below n (or no "
                + "value at all).", "averageBelow(server*.instance*.threads.busy,25)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.AVERAGE, "<=", args.dbl(1));
    }
}
