package io.tally.query.functions.sorting;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;
import io.tally.query.functions.filter.Highest;

/** {@code sortByMaxima(seriesList)}: stable sort, descending by {@code MAX}. */
public final class SortByMaxima extends Fn {
    public SortByMaxima() {
        super(spec("sortByMaxima", SORTING, doc("Sorts the series by their maximum over the range, largest "
                + "first.", "sortByMaxima(server*.instance*.memory.free)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.sort(args.series(0), AggFunc.MAX, true);
    }
}
