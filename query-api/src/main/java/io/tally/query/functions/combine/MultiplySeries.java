package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code multiplySeries(*seriesLists)}: the product at each point, null where any input is null; a single
 * series is returned unchanged (graphite's legacy behaviour).
 */
public final class MultiplySeries extends Fn {
    public MultiplySeries() {
        super(spec("multiplySeries", COMBINE, doc("Multiplies the series point by point; a point is null when any "
                + "input is null there. To multiply by a constant use scale().",
                "multiplySeries(Series.dividends,Series.divisors)")).params(SERIES_LISTS).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<List<Series>> lists = args.seriesLists(0);
        if (lists.size() == 1 && lists.get(0).size() == 1) {
            return lists.get(0);
        }
        return aggregate(args.allSeries(0), "multiply", null, ctx, args, 0);
    }
}
