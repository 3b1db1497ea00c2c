package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code multiplySeriesWithWildcards(seriesList, *position)}: aggregateWithWildcards with {@code multiply}. */
public final class MultiplySeriesWithWildcards extends Fn {
    public MultiplySeriesWithWildcards() {
        super(spec("multiplySeriesWithWildcards", COMBINE, doc("Multiplies the series in groups that share their "
                + "name once the given node "
                + "positions are removed; each result is named by the remaining nodes.",
                "multiplySeriesWithWildcards(host.cpu-[0-7].cpu-{user,system}.value, 1)"))
                .params(SERIES_LIST, Param.optional("position", ParamType.NODE).asMultiple()).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return AggregateWithWildcards.withPositionsFrom(args, 1, "multiply", ctx);
    }
}
