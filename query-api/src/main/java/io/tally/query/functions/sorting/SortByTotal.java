package io.tally.query.functions.sorting;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;
import io.tally.query.functions.filter.Highest;

/** {@code sortByTotal(seriesList)}: stable sort, descending by {@code SUM}. */
public final class SortByTotal extends Fn {
    public SortByTotal() {
        super(spec("sortByTotal", SORTING, doc("Sorts the series by their sum over the range, largest "
                + "first.", "sortByTotal(server*.instance*.requests)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.sort(args.series(0), AggFunc.SUM, true);
    }
}
