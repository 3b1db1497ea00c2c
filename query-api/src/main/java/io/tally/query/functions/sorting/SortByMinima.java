package io.tally.query.functions.sorting;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;
import io.tally.query.functions.filter.Highest;

import java.util.ArrayList;
import java.util.List;

/** {@code sortByMinima(seriesList)}: ascending by minimum, keeping only series whose maximum is above 0. */
public final class SortByMinima extends Fn {
    public SortByMinima() {
        super(spec("sortByMinima", SORTING, doc("Sorts the series by their minimum over the range, smallest first, "
                + "keeping only the series whose maximum is above 0.", "sortByMinima(server*.instance*.memory.free)"))
                .params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> positive = new ArrayList<>();
        for (Series s : args.series(0)) {
            double max = AggFunc.MAX.apply(s.values());
            if ((Double.isNaN(max) ? 0 : max) > 0) {
                positive.add(s);
            }
        }
        return Highest.sort(positive, AggFunc.MIN, false);
    }
}
