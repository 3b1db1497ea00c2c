package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code averageAbove(seriesList, n)}: filterSeries with {@code AVERAGE > n}. */
public final class AverageAbove extends Fn {
    public AverageAbove() {
        super(spec("averageAbove", FILTER_SERIES, doc("Keeps only the series with a average above "
                + "n.", "averageAbove(server*.instance*.threads.busy,25)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return FilterSeries.filter(args.series(0), AggFunc.AVERAGE, ">", args.dbl(1));
    }
}
