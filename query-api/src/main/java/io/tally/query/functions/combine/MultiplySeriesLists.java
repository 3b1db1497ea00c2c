package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code multiplySeriesLists(seriesListFirstPos, seriesListSecondPos)}: aggregateSeriesLists with {@code multiply}. */
public final class MultiplySeriesLists extends Fn {
    public MultiplySeriesLists() {
        super(spec("multiplySeriesLists", COMBINE, doc("Multiplies two lists of equal length pairwise by position.",
                "multiplySeriesLists(mining.{carbon,graphite}.extracted,mining.{carbon,graphite}.shipped)"))
                .params(Param.required("seriesListFirstPos", ParamType.SERIES_LIST),
                        Param.required("seriesListSecondPos", ParamType.SERIES_LIST)).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return AggregateSeriesLists.pairwise(args.series(0), args.series(1), "multiply", null, ctx, args);
    }
}
