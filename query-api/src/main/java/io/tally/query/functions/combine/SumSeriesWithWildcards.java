package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

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
        List<Long> positions = new ArrayList<>();
        for (Object p : args.multi(1)) {
            if (!(p instanceof Number n)) {
                throw args.error(1, "positions must be integers, got " + p);
            }
            positions.add(n.longValue());
        }
        return AggregateWithWildcards.byWildcards(args.series(0), "sum", positions, ctx, args);
    }
}
