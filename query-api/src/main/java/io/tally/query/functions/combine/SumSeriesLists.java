package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code sumSeriesLists(seriesListFirstPos, seriesListSecondPos)}: aggregateSeriesLists with {@code sum}. */
public final class SumSeriesLists extends Fn {
    public SumSeriesLists() {
        super(spec("sumSeriesLists", COMBINE, doc("Sums two lists of equal length pairwise by position.",
                "sumSeriesLists(mining.{carbon,graphite}.extracted,mining.{carbon,graphite}.shipped)"))
                .params(Param.required("seriesListFirstPos", ParamType.SERIES_LIST),
                        Param.required("seriesListSecondPos", ParamType.SERIES_LIST)).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return AggregateSeriesLists.pairwise(args.series(0), args.series(1), "sum", null, ctx, args);
    }
}
