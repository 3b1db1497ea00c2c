package io.tally.query.functions.combine;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.StreamingAggregate;
import io.tally.query.functions.Fn;

/**
 * {@code aggregate(seriesList, func, xFilesFactor=None)}: one series reducing all inputs per point with an
 * aggregation function, named {@code <func>Series(<path expressions>)} as written ({@code aggregate(x,'avg')} is
 * {@code avgSeries(x)}).
 */
public final class Aggregate extends Fn implements StreamingAggregate {
    public Aggregate() {
        super(spec("aggregate", COMBINE, doc("Reduces the series to one with an aggregation function applied at "
                + "each point: average (avg), avg_zero, median, sum (total), min, max, diff, stddev, count, range "
                + "(rangeOf), multiply or last (current). A point is null unless the fraction of non-null inputs "
                + "reaches xFilesFactor.", "aggregate(host.cpu-[0-7].cpu-{user,system}.value, \"sum\")"))
                .params(SERIES_LIST, Param.required("func", ParamType.AGG_FUNC).withOptions(AggFunc.NAMES),
                        Param.optional("xFilesFactor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return aggregate(args.series(0), args.string(1), args.dblOrNull(2), ctx, args, 1);
    }

    @Override
    public SeriesMath.Accumulator accumulator(Args args, EvalContext ctx) {
        return accumulator(args.string(1), args.dblOrNull(2), ctx, args, 1);
    }
}
