package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code sumSeriesWithWildcards(seriesList, *position)}: aggregateWithWildcards with {@code sum}. */
public final class SumSeriesWithWildcards extends Fn {
    public SumSeriesWithWildcards() {
        super(spec("sumSeriesWithWildcards", COMBINE, doc("Sums the series in groups that share their name once the "
                + "given node "
                + "positions are removed; each result is named by the remaining nodes.",
                "sumSeriesWithWildcards(host.cpu-[0-7].cpu-{user,system}.value, 1)"))
                .params(SERIES_LIST, Param.optional("position", ParamType.NODE).asMultiple()).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return AggregateWithWildcards.withPositionsFrom(args, 1, "sum", ctx);
    }
}
