package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code diffSeriesLists(seriesListFirstPos, seriesListSecondPos)}: aggregateSeriesLists with {@code diff}. */
public final class DiffSeriesLists extends Fn {
    public DiffSeriesLists() {
        super(spec("diffSeriesLists", COMBINE, doc("Subtracts two lists of equal length pairwise by position.",
                "diffSeriesLists(mining.{carbon,graphite}.extracted,mining.{carbon,graphite}.shipped)"))
                .params(Param.required("seriesListFirstPos", ParamType.SERIES_LIST),
                        Param.required("seriesListSecondPos", ParamType.SERIES_LIST)).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return AggregateSeriesLists.pairwise(args.series(0), args.series(1), "diff", null, ctx, args);
    }
}
